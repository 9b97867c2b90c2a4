#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of hvctl against the real hvcore module. Runs inside a test host
# as root, under busybox ash or any POSIX sh; loads hvcore itself and
# unloads it at the end. Output is kselftest TAP; the exit status is 0 when
# every test passed, 1 otherwise.
#
# Environment:
#   HVCTL      the hvctl binary (default: hvctl, from PATH)
#   HVCORE_KO  the hvcore.ko to insmod (required)
#   HVCTL_TEST_TIMEOUT  seconds allowed to any one command (default 60)

HVCTL=${HVCTL:-hvctl}
HVCORE_KO=${HVCORE_KO:-}
TIMEOUT=${HVCTL_TEST_TIMEOUT:-60}
SYSFS=/sys/kernel/hvcore
NTESTS=15

num=0
passed=0
failed=0
loaded=0
rc=0

tmp=$(mktemp -d /tmp/hvctl_test.XXXXXX) || {
	echo "hvctl_test: cannot create a temporary directory" >&2
	exit 1
}
out=$tmp/stdout
err=$tmp/stderr

cleanup() {
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "# interrupted"; [ "$loaded" = 1 ] && rmmod hvcore; exit 1' INT TERM

# Bound every command when timeout(1) exists (busybox and coreutils agree
# on "timeout SECS PROG ARGS").
if timeout 5 true >/dev/null 2>&1; then
	with_timeout="timeout $TIMEOUT"
else
	with_timeout=
fi

diag() {
	echo "# $*"
}

# Show what the last command printed, as TAP diagnostics.
dump() {
	if [ -s "$out" ]; then
		diag "stdout:"
		sed -n '1,40s/^/#   /p' "$out"
	fi
	if [ -s "$err" ]; then
		diag "stderr:"
		sed -n '1,40s/^/#   /p' "$err"
	fi
}

# run_test NAME FUNCTION: run one test and print its TAP line.
run_test() {
	num=$((num + 1))
	if "$2"; then
		passed=$((passed + 1))
		echo "ok $num $1"
	else
		failed=$((failed + 1))
		echo "not ok $num $1"
	fi
}

# run_hvctl ARGS...: run hvctl; stdout in $out, stderr in $err, status in $rc.
run_hvctl() {
	: >"$out"
	: >"$err"
	$with_timeout "$HVCTL" "$@" >"$out" 2>"$err"
	rc=$?
}

expect_status() {
	[ "$rc" -eq "$1" ] && return 0
	diag "expected exit status $1, got $rc"
	dump
	return 1
}

# expect_in FILE TEXT: FILE contains the fixed string TEXT.
expect_in() {
	grep -qF -- "$2" "$1" && return 0
	diag "expected '$2' in ${1##*/}"
	dump
	return 1
}

# expect_re FILE ERE: some line of FILE matches ERE.
expect_re() {
	grep -qE -- "$2" "$1" && return 0
	diag "expected a line matching '$2' in ${1##*/}"
	dump
	return 1
}

expect_empty() {
	[ -s "$1" ] || return 0
	diag "expected nothing on ${1##*/}"
	dump
	return 1
}

# Usage errors: one "hvctl: " line saying what, one pointing at --help.
expect_usage_error() {
	expect_status 2 && expect_empty "$out" && expect_re "$err" "^hvctl: $1" &&
		expect_in "$err" "hvctl --help"
}

need_module() {
	[ "$loaded" = 1 ] && return 0
	diag "hvcore is not loaded (see test 1), cannot check this"
	return 1
}

need_no_module() {
	[ -d /sys/module/hvcore ] || return 0
	diag "hvcore is still loaded (see the rmmod test), cannot check this"
	return 1
}

# Rows of the LP table (after the "LP" header up to the blank line) and of
# the node table (after the "NODE" header).
lp_rows() {
	awk '/^LP /{s=1; next} /^$/{s=0} s && /^[0-9]/' "$out"
}

node_rows() {
	awk '/^NODE /{s=1; next} /^$/{s=0} s && /^[0-9]/' "$out"
}

count_lines() {
	wc -l | tr -d ' '
}

t_load() {
	if [ -d /sys/module/hvcore ]; then
		diag "hvcore was already loaded; unloading it first"
		rmmod hvcore >"$err" 2>&1 || { dump; return 1; }
	fi
	if [ -z "$HVCORE_KO" ] || [ ! -f "$HVCORE_KO" ]; then
		diag "HVCORE_KO='$HVCORE_KO' is not a file: set it to the hvcore.ko to test"
		return 1
	fi
	: >"$out"
	$with_timeout insmod "$HVCORE_KO" >"$err" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		diag "insmod $HVCORE_KO failed with status $rc"
		dump
		diag "last kernel messages:"
		dmesg 2>/dev/null | tail -n 5 | sed 's/^/#   /'
		return 1
	fi
	loaded=1
	if [ ! -d "$SYSFS" ]; then
		diag "insmod succeeded but $SYSFS does not exist"
		return 1
	fi
	# devtmpfs creates the node at once, mdev may take a moment.
	i=0
	while [ ! -c /dev/hvcore ] && [ "$i" -lt 5 ]; do
		sleep 1
		i=$((i + 1))
	done
	[ -c /dev/hvcore ] || diag "warning: /dev/hvcore did not appear"
	return 0
}

t_features() {
	need_module || return 1
	run_hvctl features
	expect_status 0 || return 1
	vendor=$(tr '[:lower:]' '[:upper:]' <"$SYSFS/vendor")
	expect_re "$out" "^Vendor:[[:space:]]+$vendor\$" || return 1

	n=0
	for f in "$SYSFS"/features/*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		val=$(cat "$f")
		case $name in
		nr_asids | vmcs_revision)
			want=$val
			;;
		*)
			case $val in
			1) want=yes ;;
			0) want=no ;;
			*)
				diag "$f holds '$val', not 0 or 1"
				return 1
				;;
			esac
			;;
		esac
		expect_re "$out" "^${name}[[:space:]]+${want}\$" || return 1
		n=$((n + 1))
	done
	if [ "$n" -eq 0 ]; then
		diag "$SYSFS/features/ has no files"
		return 1
	fi
	# ... and hvctl shows nothing that sysfs does not have.
	shown=$(awk '/^FEATURE /{s=1; next} s && NF' "$out" | count_lines)
	if [ "$shown" -ne "$n" ]; then
		diag "hvctl shows $shown feature lines, $SYSFS/features/ has $n files"
		dump
		return 1
	fi
	return 0
}

t_features_json() {
	need_module || return 1
	run_hvctl features --json
	expect_status 0 || return 1
	lines=$(count_lines <"$out")
	if [ "$lines" -ne 1 ]; then
		diag "expected one line of JSON, got $lines"
		dump
		return 1
	fi
	expect_in "$out" "\"vendor\":\"$(cat "$SYSFS/vendor")\"" || return 1
	expect_re "$out" "\"lps_enabled\":$(cat "$SYSFS/lps_enabled")[,}]" || return 1
	expect_re "$out" "\"api_version\":$(cat "$SYSFS/api_version")[,}]" || return 1
	for f in "$SYSFS"/features/*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		val=$(cat "$f")
		case $name in
		nr_asids | vmcs_revision) want=$((val)) ;;
		*) [ "$val" = 1 ] && want=true || want=false ;;
		esac
		expect_re "$out" "\"${name}\":${want}[,}]" || return 1
	done
	return 0
}

t_topology_lps() {
	run_hvctl topology
	expect_status 0 || return 1
	cpus=$(grep -c ^processor /proc/cpuinfo)
	rows=$(lp_rows | count_lines)
	online=$(lp_rows | awk '$3 == "yes"' | count_lines)
	present=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | count_lines)
	# With every CPU online (the test hosts) all three are equal.
	if [ "$online" -ne "$cpus" ] || [ "$rows" -ne "$present" ]; then
		diag "LP rows: $rows ($online online)"
		diag "/proc/cpuinfo: $cpus processors; sysfs: $present CPUs"
		dump
		return 1
	fi
	return 0
}

t_topology_nodes() {
	run_hvctl topology
	expect_status 0 || return 1
	nodes=$(ls -d /sys/devices/system/node/node* 2>/dev/null | count_lines)
	[ "$nodes" -eq 0 ] && nodes=1	# no NUMA: hvctl shows one node 0
	rows=$(node_rows | count_lines)
	if [ "$rows" -ne "$nodes" ]; then
		diag "node rows: $rows; /sys/devices/system/node: $nodes nodes"
		dump
		return 1
	fi
	return 0
}

t_topology_hvcore() {
	need_module || return 1
	run_hvctl topology
	expect_status 0 || return 1
	lp_rows >"$tmp/rows"
	if [ ! -s "$tmp/rows" ]; then
		diag "no LP rows"
		dump
		return 1
	fi
	while read -r lp _ _ held; do
		case $(cat "$SYSFS/lp/lp$lp/enabled" 2>/dev/null) in
		1) want=yes ;;
		0) want=no ;;
		*) want=- ;;
		esac
		if [ "$held" != "$want" ]; then
			diag "LP $lp: HVCORE shows '$held', $SYSFS/lp/lp$lp/enabled means '$want'"
			dump
			return 1
		fi
	done <"$tmp/rows"
	return 0
}

t_topology_json() {
	need_module || return 1
	run_hvctl topology --json
	expect_status 0 || return 1
	expect_in "$out" '"hvcore_loaded":true' || return 1
	n=$(grep -o '"lp":' "$out" | count_lines)
	cpus=$(grep -c ^processor /proc/cpuinfo)
	if [ "$n" -lt "$cpus" ]; then
		diag "JSON lists $n LPs, /proc/cpuinfo has $cpus processors"
		dump
		return 1
	fi
	return 0
}

t_version() {
	need_module || return 1
	run_hvctl version
	expect_status 0 || return 1
	want="hvctl $(cat "$SYSFS/api_version")"
	if [ "$(cat "$out")" != "$want" ]; then
		diag "expected exactly '$want'"
		dump
		return 1
	fi
	return 0
}

t_help() {
	for opt in --help -h help; do
		run_hvctl $opt
		expect_status 0 || return 1
		expect_re "$out" "^Usage: hvctl " || return 1
		expect_in "$out" "topology" || return 1
		expect_empty "$err" || return 1
	done
	return 0
}

t_bogus() {
	run_hvctl bogus
	expect_usage_error "unknown command 'bogus'"
}

t_bad_option() {
	run_hvctl --frobnicate
	expect_usage_error "unknown option '--frobnicate'"
}

t_no_command() {
	run_hvctl
	expect_usage_error "missing command"
}

t_unload() {
	need_module || return 1
	: >"$out"
	$with_timeout rmmod hvcore >"$err" 2>&1
	rc=$?
	expect_status 0 || return 1
	loaded=0
	if [ -d "$SYSFS" ]; then
		diag "rmmod succeeded but $SYSFS still exists"
		return 1
	fi
	return 0
}

t_features_unloaded() {
	need_no_module || return 1
	run_hvctl features
	expect_status 1 && expect_empty "$out" && expect_re "$err" "^hvctl: " &&
		expect_in "$err" "is the hvcore module loaded"
}

t_topology_unloaded() {
	need_no_module || return 1
	run_hvctl topology
	expect_status 0 || return 1
	rows=$(lp_rows | count_lines)
	bad=$(lp_rows | awk '$4 != "-"' | count_lines)
	if [ "$rows" -eq 0 ] || [ "$bad" -ne 0 ]; then
		diag "$rows LP rows, $bad of them without '-' in the HVCORE column"
		dump
		return 1
	fi
	return 0
}

echo "TAP version 13"
echo "1..$NTESTS"
diag "hvctl: $HVCTL; hvcore.ko: ${HVCORE_KO:-(unset)}"

run_test "insmod hvcore.ko" t_load
run_test "features exits 0 and agrees with $SYSFS/features" t_features
run_test "features --json reports vendor, api_version, lps_enabled, features" t_features_json
run_test "topology lists one row per logical processor" t_topology_lps
run_test "topology lists one row per NUMA node" t_topology_nodes
run_test "topology HVCORE column agrees with lp/lpN/enabled" t_topology_hvcore
run_test "topology --json with hvcore loaded" t_topology_json
run_test "version prints the module API version" t_version
run_test "--help, -h and help print usage and exit 0" t_help
run_test "unknown command exits 2" t_bogus
run_test "unknown option exits 2" t_bad_option
run_test "missing command exits 2" t_no_command
run_test "rmmod hvcore" t_unload
run_test "features without hvcore exits 1 and says so" t_features_unloaded
run_test "topology without hvcore exits 0 and shows '-'" t_topology_unloaded

if [ "$num" -ne "$NTESTS" ]; then
	diag "planned $NTESTS tests but ran $num"
	failed=$((failed + 1))
fi
echo "# Totals: pass:$passed fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ "$failed" -eq 0 ]
