#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the test host: load hvcore, show what it sees, run the
# demo guest (tools/hvctl/demo/hello.S) in a partition, then the seeds'
# Table 3 (Documentation/scheduler.rst): two production partitions at
# weight 200 and two test partitions at weight 50, CPU-bound
# (tools/hvctl/demo/spin.S), and the shares they get; then what an
# administrator watches: hvctl top refreshing, and one VP's counters.

hello=./hello.bin
spin=./spin.bin
parts="prod1 prod2 test1 test2"
settle=1	# s: placement settles in the first periods
measure=5	# s: the interval the shares are measured over
tolerance=2	# percentage points a share may be off before the demo fails

# Remove what the demo created, quietly, and unload hvcore.
cleanup() {
	for p in demo $parts; do
		hvctl delete "$p" --force >/dev/null 2>&1
	done
	[ -d /sys/module/hvcore ] && rmmod hvcore
}

fail() {
	echo "not ok 1 demo # $*"
	cleanup
	exit 1
}

# step CMD ARGS...: show the command, run it, stop the demo if it fails.
step() {
	echo "# $*"
	"$@" && return 0
	rc=$?
	fail "'$*' exited with status $rc"
}

# weight NAME: the weight the demo gives partition NAME.
weight() {
	case $1 in
	prod*) echo 200 ;;
	*) echo 50 ;;
	esac
}

# sample FILE: "NAME NS" per partition, NS the sum of its VPs' total_ns
# (HVCORE_VP_INFO, through hvctl show --json); "T SECONDS" first.
sample() {
	read -r up _ </proc/uptime
	echo "T $up" >"$1"
	for p in $parts; do
		hvctl show "$p" --json >/tmp/demo.json || fail "'hvctl show $p --json' failed"
		ns=$(grep -o '"total_ns":[0-9]*' /tmp/demo.json |
			awk -F: '{ s += $2 } END { printf "%.0f", s }')
		echo "$p $ns" >>"$1"
	done
}

step insmod "$HVCORE_KO"
step hvctl features
step hvctl topology
for f in "$hello" "$spin"; do
	[ -f "$f" ] || fail "$f is missing: check.sh must copy tools/hvctl/demo/${f#./}"
done
step hvctl create demo --memory 1M
step hvctl list
step hvctl run demo --start --image "$hello"
step hvctl show demo
step hvctl delete demo

# The seeds' Table 3 gives each partition 2 VPs on 2 LPs: every LP has a
# VP of each partition, so all four compete everywhere. This host has more
# LPs; with as many VPs per partition as LPs the same holds on each LP.
lps=$(cat /sys/kernel/hvcore/lps_enabled) || fail "cannot read lps_enabled"
echo
echo "# Table 3: prod1, prod2 at weight 200, test1, test2 at weight 50,"
echo "# $lps VPs each (one per LP), all CPU-bound, on $lps LPs"
for p in $parts; do
	step hvctl create "$p" --memory 1M --vps "$lps"
	step hvctl set "$p" "cpu.weight=$(weight "$p")"
done
for p in $parts; do
	hvctl show "$p" >/tmp/demo.show || fail "'hvctl show $p' failed"
	sed -n "s/^\(CPU .*\)/$p: \1/p" /tmp/demo.show
done
for p in $parts; do
	step hvctl start "$p" --image "$spin"
done
step hvctl list
echo "# running $settle s to settle, then measuring over $measure s"
sleep "$settle"
sample /tmp/demo.a
sleep "$measure"
sample /tmp/demo.b
for p in $parts; do
	state=$(hvctl show "$p" | sed -n 's/^State:[[:space:]]*//p')
	[ "$state" = running ] || fail "partition $p is $state, not running"
done

# Shares: each partition's run time in the interval over the sum of all.
for p in $parts; do echo "W $p $(weight "$p")"; done >/tmp/demo.w
awk -v lps="$lps" -v tol="$tolerance" '
	FILENAME ~ /demo.w$/ { w[$2] = $3; sw += $3; order[n++] = $2; next }
	FILENAME ~ /demo.a$/ { a[$1] = $2; next }
	{ b[$1] = $2 }
	END {
		secs = b["T"] - a["T"]
		for (i = 0; i < n; i++) {
			p = order[i]; d[p] = b[p] - a[p]; sum += d[p]
		}
		if (sum <= 0) { print "# the partitions did not run"; exit 1 }
		printf "%-10s %6s %9s %9s %12s\n", "PARTITION", "WEIGHT", "EXPECTED", "MEASURED", "RUN TIME"
		bad = 0
		for (i = 0; i < n; i++) {
			p = order[i]
			want = 100 * w[p] / sw; got = 100 * d[p] / sum
			printf "%-10s %6d %8.1f%% %8.2f%% %9.0f ms\n", p, w[p], want, got, d[p] / 1e6
			off = got - want; if (off < 0) off = -off
			if (off > maxoff) maxoff = off
		}
		printf "# largest deviation %.2f pp; the VPs ran %.1f%% of the %d LPs over %.2f s\n",
			maxoff, 100 * sum / 1e9 / (secs * lps), lps, secs
		if (maxoff > tol) {
			printf "# more than %s pp off the expected shares\n", tol
			exit 1
		}
	}' /tmp/demo.w /tmp/demo.a /tmp/demo.b || fail "the shares are not the expected ones"

# What an administrator watches: three refreshes of hvctl top (batch mode:
# plain tables, no screen clearing), then every counter of one VP.
echo
step hvctl top --batch --iterations 3 --interval 1
echo
step hvctl counters --json prod1 --vp 0

for p in $parts; do
	step hvctl stop "$p" --force
	step hvctl delete "$p"
done
step hvctl list
hvctl list --json | grep -q '"id"' && fail "partitions are left after the demo"
step rmmod hvcore
echo "ok 1 demo"
