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
#   HVCTL_DEMO_IMAGE  the demo guest (default: hello.bin next to this
#              script, else tools/hvctl/demo/hello.bin of the source tree)
#   HVCTL_TEST_TIMEOUT  seconds allowed to any one command (default 60)

HVCTL=${HVCTL:-hvctl}
HVCORE_KO=${HVCORE_KO:-}
TIMEOUT=${HVCTL_TEST_TIMEOUT:-60}
SYSFS=/sys/kernel/hvcore
NTESTS=78

here=$(cd "$(dirname "$0")" && pwd)
HELLO=${HVCTL_DEMO_IMAGE:-}
if [ -z "$HELLO" ]; then
	for f in "$here/hello.bin" "$here/../../tools/hvctl/demo/hello.bin"; do
		[ -f "$f" ] && HELLO=$f && break
	done
fi

# The partition the partition tests work on.
P=hvctl-test

num=0
passed=0
failed=0
skipped=0
skip_reason=
guests=
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

# Tiny real-mode guests, as bytes for 0x7c00:
#   exit7:   in al,0x80; in al,0x80; mov al,7; out 0xf4,al; hlt
#   triple:  lidt [0x7c06]; int3; at 0x7c06 a zero IDTR (limit 0: no
#            vector fits, so int3 faults, and so does the fault: shutdown).
#            The descriptor is part of the image: memory keeps what earlier
#            guests left there.
#   spin:    jmp $
#   xspin:   mov dx,0x3f8; mov al,'x'; out dx,al; mov al,10; out dx,al;
#            jmp $ (one line on the UART, then spin)
printf '\344\200\344\200\260\007\346\364\364' >"$tmp/exit7.bin"
printf '\017\001\036\006\174\314\000\000\000\000\000\000' >"$tmp/triple.bin"
printf '\353\376' >"$tmp/spin.bin"
printf '\272\370\003\260x\356\260\012\356\353\376' >"$tmp/xspin.bin"

# A JSON checker for the test hosts, which have no python: every line of
# its input must be one JSON value (RFC 8259 grammar; no duplicate-key or
# Unicode checks). Runs under busybox awk and any POSIX awk.
cat >"$tmp/json.awk" <<'JSON_AWK'
function ws() {
	while (pos <= n && index(" \t\r", substr(s, pos, 1)))
		pos++
}
function str(   c) {
	pos++
	while (pos <= n) {
		c = substr(s, pos, 1)
		if (c == "\"") {
			pos++
			return 1
		}
		if (c == "\\") {
			pos++
			c = substr(s, pos, 1)
			if (c == "u") {
				if (substr(s, pos + 1, 4) !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/)
					return 0
				pos += 4
			} else if (!index("\"\\/bfnrt", c))
				return 0
		}
		pos++
	}
	return 0
}
function members(last,   c) {
	pos++
	ws()
	if (substr(s, pos, 1) == last) {
		pos++
		return 1
	}
	for (;;) {
		ws()
		if (last == "}") {
			if (substr(s, pos, 1) != "\"" || !str())
				return 0
			ws()
			if (substr(s, pos, 1) != ":")
				return 0
			pos++
		}
		if (!value())
			return 0
		ws()
		c = substr(s, pos, 1)
		pos++
		if (c == last)
			return 1
		if (c != ",")
			return 0
	}
}
function value(   c, rest) {
	ws()
	c = substr(s, pos, 1)
	if (c == "{")
		return members("}")
	if (c == "[")
		return members("]")
	if (c == "\"")
		return str()
	rest = substr(s, pos)
	if (match(rest, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
		pos += RLENGTH
		return 1
	}
	if (substr(rest, 1, 4) == "true" || substr(rest, 1, 4) == "null") {
		pos += 4
		return 1
	}
	if (substr(rest, 1, 5) == "false") {
		pos += 5
		return 1
	}
	return 0
}
{
	s = $0
	n = length(s)
	pos = 1
	ok = value()
	ws()
	if (!ok || pos <= n) {
		printf "line %d is not valid JSON (at character %d)\n", NR, pos
		bad = 1
	}
}
END {
	if (NR == 0) {
		print "no JSON at all"
		bad = 1
	}
	exit bad
}
JSON_AWK

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

# run_test NAME FUNCTION: run one test and print its TAP line. FUNCTION
# returns 0 (pass), 4 (skip, saying why in $skip_reason) or else (fail).
run_test() {
	num=$((num + 1))
	skip_reason=
	"$2"
	case $? in
	0)
		passed=$((passed + 1))
		echo "ok $num $1"
		;;
	4)
		skipped=$((skipped + 1))
		echo "ok $num $1 # SKIP $skip_reason"
		;;
	*)
		failed=$((failed + 1))
		echo "not ok $num $1"
		;;
	esac
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

# need_guests: whether hvcore runs guests on this host (START is refused
# with EOPNOTSUPP where the vendor's world switch is not written yet).
# Probed once with a spinning guest on partition $P, which must be off.
need_guests() {
	if [ -z "$guests" ]; then
		run_hvctl start "$P" --image "$tmp/spin.bin"
		if [ "$rc" -eq 0 ]; then
			guests=yes
			run_hvctl stop "$P" --force
			expect_status 0 || guests=broken
		elif grep -qF "does not run guests on this host" "$err"; then
			guests=no
		else
			diag "probing with 'hvctl start $P --image spin.bin':"
			expect_status 0
			guests=broken
		fi
	fi
	case $guests in
	yes)
		return 0
		;;
	no)
		skip_reason="hvcore does not run guests on this host yet"
		return 4
		;;
	*)
		diag "starting a guest failed (see the first test that tried)"
		return 1
		;;
	esac
}

need_hello() {
	[ -n "$HELLO" ] && [ -f "$HELLO" ] && return 0
	diag "the demo guest hello.bin is not next to this script nor in the source tree:"
	diag "tests/harness/check.sh must copy tools/hvctl/demo/hello.bin into the test host"
	return 1
}

# Data row of partition $P in "hvctl list".
list_row() {
	awk -v p="$P" '$2 == p' "$out"
}

# field FILE LABEL: the value after "LABEL:" in "hvctl show" output.
field() {
	sed -n "s|^$2:[[:space:]]*||p" "$1" | head -n1
}

expect_field() {
	got=$(field "$out" "$1")
	[ "$got" = "$2" ] && return 0
	diag "expected '$1: $2', got '$1: $got'"
	dump
	return 1
}

# Runtime errors: status 1, nothing on stdout, "hvctl: TEXT" on stderr.
expect_error() {
	expect_status 1 && expect_empty "$out" && expect_in "$err" "hvctl: $1"
}

# expect_line FILE N TEXT: line N of FILE is exactly TEXT.
expect_line() {
	got=$(sed -n "${2}p" "$1")
	[ "$got" = "$3" ] && return 0
	diag "expected line $2 of ${1##*/} to be exactly '$3'"
	dump
	return 1
}

# expect_usage_exact MSG: status 2, stderr exactly "hvctl: MSG" and the
# pointer at --help, nothing on stdout.
expect_usage_exact() {
	expect_status 2 && expect_empty "$out" && expect_line "$err" 1 "hvctl: $1" &&
		expect_line "$err" 2 "Try 'hvctl --help' for more information." &&
		expect_line "$err" 3 ""
}

# expect_error_exact MSG: status 1, stderr exactly "hvctl: MSG".
expect_error_exact() {
	expect_status 1 && expect_empty "$out" && expect_line "$err" 1 "hvctl: $1" &&
		expect_line "$err" 2 ""
}

# expect_policy WEIGHT RESERVE CAP [IO_BOOST]: what show, show --json and
# sysfs say of partition $P's CPU policy; IO_BOOST on or off (default).
expect_policy() {
	boost=${4:-off}
	[ "$boost" = on ] && jboost=true bit=1 || jboost=false bit=0
	run_hvctl show "$P"
	expect_status 0 && expect_field "CPU weight" "$1" &&
		expect_field "CPU reserve" "$2% of an LP per VP" &&
		expect_field "CPU cap" "$3% of an LP per VP" &&
		expect_field "CPU I/O boost" "$boost" || return 1
	run_hvctl show "$P" --json
	expect_status 0 || return 1
	expect_in "$out" "\"cpu\":{\"weight\":$1,\"reserve\":$2,\"cap\":$3,\"io_boost\":$jboost}" ||
		return 1
	pdir=$SYSFS/partitions/$id
	got="$(cat "$pdir/cpu_weight") $(cat "$pdir/cpu_reserve") $(cat "$pdir/cpu_cap") $(cat "$pdir/cpu_io_boost")"
	[ "$got" = "$1 $2 $3 $bit" ] && return 0
	diag "$pdir/cpu_{weight,reserve,cap,io_boost} hold '$got', expected '$1 $2 $3 $bit'"
	return 1
}

# expect_json: every line of $out is valid JSON, and there are $1 lines.
expect_json() {
	if ! awk -f "$tmp/json.awk" "$out" >"$tmp/json.err"; then
		diag "$(cat "$tmp/json.err")"
		dump
		return 1
	fi
	lines=$(count_lines <"$out")
	[ "$lines" -eq "$1" ] && return 0
	diag "expected $1 lines of JSON, got $lines"
	dump
	return 1
}

# worker_ended PID: within 20 s, process PID is gone (or a zombie that
# init has not reaped yet).
worker_ended() {
	i=0
	while [ "$i" -lt 20 ]; do
		[ -d "/proc/$1" ] || return 0
		grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null && return 0
		sleep 1
		i=$((i + 1))
	done
	diag "the detached worker (pid $1) did not end within 20 s"
	return 1
}

# set_ok KEY=VALUE...: "hvctl set $P" succeeds silently.
set_ok() {
	run_hvctl set "$P" "$@"
	expect_status 0 && expect_empty "$out" && expect_empty "$err"
}

t_create() {
	need_module || return 1
	run_hvctl create "$P" --memory 4M --vps 1
	expect_status 0 && expect_empty "$out" && expect_empty "$err"
}

t_list() {
	need_module || return 1
	run_hvctl list
	expect_status 0 || return 1
	expect_re "$out" "^ID +NAME +STATE +MEMORY +VPS\$" || return 1
	row=$(list_row)
	# shellcheck disable=SC2086	# the row's words are wanted
	set -- $row
	if [ "$#" -ne 5 ] || [ "$3" != off ] || [ "$4" != 4M ] || [ "$5" != 1 ]; then
		diag "expected the row 'ID $P off 4M 1', got '$row'"
		dump
		return 1
	fi
	id=$1
	return 0
}

t_list_json() {
	need_module || return 1
	run_hvctl list --json
	expect_status 0 || return 1
	expect_in "$out" "{\"id\":$id,\"name\":\"$P\",\"state\":\"off\",\"memory_bytes\":4194304,\"vps\":1}" &&
		expect_re "$out" '^\{"partitions":\[.*\]\}$'
}

t_show() {
	need_module || return 1
	for who in "$P" "$id"; do
		run_hvctl show "$who"
		expect_status 0 || return 1
		expect_field Name "$P" && expect_field Id "$id" && expect_field State off &&
			expect_field "Exit code" 0 && expect_field VPs 1 || return 1
		expect_re "$out" '^Memory: +4M \(1024 pages' || return 1
		expect_re "$out" '^VP 0$' || return 1
		expect_empty "$err" || return 1
	done
	return 0
}

t_show_json() {
	need_module || return 1
	run_hvctl show "$P" --json
	expect_status 0 || return 1
	expect_in "$out" "\"name\":\"$P\",\"state\":\"off\"" &&
		expect_in "$out" '"crash":null' && expect_in "$out" '"vps":[{"vp":0,"state":"off"'
}

WEIGHT_RANGE='give a whole number from 1 to 10000 (the share under contention; default 100)'
PCT_UNIT='(% of one LP per VP)'

t_show_policy_default() {
	need_module || return 1
	expect_policy 100 0 100
}

t_set_no_keys() {
	run_hvctl set "$P"
	expect_usage_exact "'set' needs at least one KEY=VALUE: cpu.weight=N (1 to 10000), cpu.reserve=P (0 to 100), cpu.cap=P (1 to 100), P in % of one LP per VP, cpu.io-boost=on|off"
}

t_set_no_equals() {
	for w in cpu.weight 200; do
		run_hvctl set "$P" "$w"
		expect_usage_exact "'$w' is not KEY=VALUE: write e.g. cpu.weight=200 (keys: cpu.weight, cpu.reserve, cpu.cap, cpu.io-boost)" ||
			return 1
	done
}

t_set_unknown_key() {
	for w in cpu.speed=5 weight=200 =5 cpu.weight.x=1 cpu.io_boost=on io-boost=on; do
		run_hvctl set "$P" "$w"
		expect_usage_exact "unknown key '${w%%=*}': the keys are cpu.weight, cpu.reserve, cpu.cap and cpu.io-boost" ||
			return 1
	done
}

t_set_not_a_number() {
	for v in abc -5 '' 12x 0x10 1.5 ' 7' +3; do
		run_hvctl set "$P" "cpu.weight=$v"
		expect_usage_exact "invalid value '$v' for cpu.weight: $WEIGHT_RANGE" || return 1
	done
	for k in reserve cap; do
		for v in -1 50%; do
			run_hvctl set "$P" "cpu.$k=$v"
			expect_usage_exact "invalid value '$v' for cpu.$k: give a whole number from $([ $k = cap ] && echo 1 || echo 0) to 100 $PCT_UNIT" ||
				return 1
		done
	done
}

t_set_weight_range() {
	for v in 0 10001 4294967297 00; do
		run_hvctl set "$P" "cpu.weight=$v"
		expect_usage_exact "cpu.weight=$v is out of range: $WEIGHT_RANGE" || return 1
	done
}

t_set_pct_range() {
	run_hvctl set "$P" cpu.reserve=101
	expect_usage_exact "cpu.reserve=101 is out of range: give a whole number from 0 to 100 $PCT_UNIT" ||
		return 1
	for v in 0 101; do
		run_hvctl set "$P" "cpu.cap=$v"
		expect_usage_exact "cpu.cap=$v is out of range: give a whole number from 1 to 100 $PCT_UNIT" ||
			return 1
	done
}

t_set_reserve_above_cap() {
	run_hvctl set "$P" cpu.reserve=60 cpu.cap=50
	expect_usage_exact "cpu.reserve=60 is above cpu.cap=50: a VP cannot be guaranteed more than its cap" ||
		return 1
	run_hvctl set "$P" cpu.weight=5 cpu.weight=6
	expect_usage_exact "cpu.weight is given twice: give each key once"
}

t_set_unknown_partition() {
	need_module || return 1
	run_hvctl set no-such-partition cpu.weight=200
	expect_error_exact "no partition named 'no-such-partition' (hvctl list shows them)"
}

t_set_bad_changed_nothing() {
	need_module || return 1
	# A bad word anywhere refuses the whole command.
	run_hvctl set "$P" cpu.weight=200 cpu.cap=0
	expect_status 2 || return 1
	expect_policy 100 0 100
}

t_set_show() {
	need_module || return 1
	set_ok cpu.weight=250 cpu.reserve=20 cpu.cap=60 || return 1
	expect_policy 250 20 60 || return 1
	# Any subset: the other fields keep their values.
	set_ok cpu.cap=80 || return 1
	expect_policy 250 20 80 || return 1
	set_ok cpu.weight=10000 || return 1
	expect_policy 10000 20 80 || return 1
	run_hvctl set "$id" cpu.weight=1 cpu.reserve=0
	expect_status 0 || return 1
	expect_policy 1 0 80
}

t_set_against_current() {
	need_module || return 1
	set_ok cpu.reserve=20 cpu.cap=80 || return 1
	run_hvctl set "$P" cpu.reserve=90
	expect_error_exact "cpu.reserve=90 is above the cap of partition $P, cpu.cap=80: lower the reservation, or raise the cap in the same command: hvctl set $P cpu.cap=90 cpu.reserve=90" ||
		return 1
	run_hvctl set "$P" cpu.cap=10
	expect_error_exact "cpu.cap=10 is below the reservation of partition $P, cpu.reserve=20: raise the cap, or lower the reservation in the same command: hvctl set $P cpu.reserve=10 cpu.cap=10" ||
		return 1
	expect_policy 1 20 80 || return 1
	set_ok cpu.weight=100 cpu.reserve=0 cpu.cap=100 || return 1
	expect_policy 100 0 100
}

t_set_io_boost_bad() {
	for v in maybe ON 1 0 '' 'on '; do
		run_hvctl set "$P" "cpu.io-boost=$v"
		expect_usage_exact "invalid value '$v' for cpu.io-boost: give on or off" || return 1
	done
	run_hvctl set "$P" cpu.io-boost=on cpu.io-boost=off
	expect_usage_exact "cpu.io-boost is given twice: give each key once"
}

t_set_io_boost() {
	need_module || return 1
	set_ok cpu.io-boost=on || return 1
	expect_policy 100 0 100 on || return 1
	# The other keys keep the flag, and it keeps them.
	set_ok cpu.weight=300 || return 1
	expect_policy 300 0 100 on || return 1
	set_ok cpu.io-boost=off cpu.weight=100 || return 1
	expect_policy 100 0 100 off
}

t_bad_interval() {
	for v in 0 abc 0.05 1.2345 3601 3600.001 -1 . 1e3 ''; do
		run_hvctl counters --interval "$v"
		expect_usage_exact "invalid interval '$v': give seconds from 0.1 to 3600, e.g. 1 or 0.5" ||
			return 1
	done
	run_hvctl top --interval 0
	expect_usage_exact "invalid interval '0': give seconds from 0.1 to 3600, e.g. 1 or 0.5"
}

t_bad_count() {
	for v in 0 x 1000001 -3; do
		run_hvctl counters --count "$v"
		expect_usage_exact "invalid value '$v' for --count: give a number from 1 to 1000000" ||
			return 1
		run_hvctl top --iterations "$v"
		expect_usage_exact "invalid value '$v' for --iterations: give a number from 1 to 1000000" ||
			return 1
	done
}

t_bad_vp_option() {
	run_hvctl counters --vp 0
	expect_usage_exact "--vp needs a partition: hvctl counters NAME --vp N" || return 1
	for v in 64 x -1; do
		run_hvctl counters "$P" --vp "$v"
		expect_usage_exact "invalid VP '$v': give a VP index from 0 to 63" || return 1
	done
	run_hvctl top --count 1
	expect_usage_exact "option '--count' does not apply to 'top'" || return 1
	run_hvctl counters --iterations 1
	expect_usage_exact "option '--iterations' does not apply to 'counters'" || return 1
	run_hvctl show "$P" --force
	expect_usage_exact "option '--force' does not apply to 'show'"
}

t_detach_needs_log() {
	run_hvctl run "$P" --detach
	expect_usage_exact "'run --detach' needs --log FILE: a detached worker has no terminal to write to"
}

t_json_valid() {
	need_module || return 1
	for cmd in features topology list "show $P" "counters $P" counters "counters $P --vp 0"; do
		# shellcheck disable=SC2086	# the command's words are wanted
		run_hvctl $cmd --json
		expect_status 0 && expect_json 1 || { diag "hvctl $cmd --json"; return 1; }
	done
	return 0
}

t_counters_off() {
	need_module || return 1
	run_hvctl counters "$P"
	expect_status 0 && expect_empty "$err" || return 1
	expect_line "$out" 1 "Partition $P (id $id): off" || return 1
	expect_re "$out" "^VP 0 of $P: off, never ran\$" || return 1
	# Every counter of the tables, for the partition and for VP 0.
	for c in total_ns guest_ns wait_ns dispatches migrations reserve_missed hypercalls \
		injected exits_cpuid exits_msr exits_io exits_mmio exits_npf exits_hlt \
		exits_hypercall exits_intr_window exits_extint exits_nmi exits_exception \
		exits_other; do
		n=$(grep -c "^  $c  " "$out")
		if [ "$n" -ne 2 ]; then
			diag "expected counter $c twice (partition and VP 0), got $n"
			dump
			return 1
		fi
	done
	expect_re "$out" '^  memory_pages +1024$' && expect_re "$out" '^  vp_count +1$' &&
		expect_re "$out" '^  total_ns +0 ns$' && expect_re "$out" '^  wait_hist +-$' || return 1
	run_hvctl counters "$P" --json
	expect_status 0 && expect_json 1 || return 1
	expect_in "$out" "\"interval_ns\":null,\"partitions\":[{\"id\":$id,\"name\":\"$P\",\"state\":\"off\",\"counters\":{\"vp_count\":1,\"memory_bytes\":4194304,\"memory_pages\":1024," &&
		expect_in "$out" '"vps":[{"vp":0,"state":"off","lp":null,"counters":{"total_ns":0,'
}

t_counters_errors() {
	need_module || return 1
	run_hvctl counters no-such-partition
	expect_error_exact "no partition named 'no-such-partition' (hvctl list shows them)" || return 1
	run_hvctl counters "$P" --vp 1
	expect_error_exact "partition $P has 1 VP (0 to 0); there is no VP 1"
}

t_add_vp() {
	need_module || return 1
	run_hvctl add-vp no-such-partition --entry 0x7c00
	expect_error_exact "no partition named 'no-such-partition' (hvctl list shows them)" || return 1
	run_hvctl create t-add --memory 1M
	expect_status 0 || return 1
	# A guest that never ran has not said where new VPs start.
	run_hvctl add-vp t-add
	expect_error_exact "partition t-add: its guest has not said where new VPs start (hypercall HVCORE_HVCALL_SET_VP_ENTRY); give the address: hvctl add-vp t-add --entry ADDR" ||
		{ "$HVCTL" delete t-add; return 1; }
	run_hvctl add-vp t-add --entry 0x7c00
	expect_status 0 && expect_line "$out" 1 "added VP 1 to partition t-add" && expect_empty "$err" ||
		{ "$HVCTL" delete t-add; return 1; }
	run_hvctl add-vp t-add --entry 0x7c00 --json
	expect_status 0 && expect_json 1 && expect_line "$out" 1 '{"name":"t-add","vp":2}' ||
		{ "$HVCTL" delete t-add; return 1; }
	run_hvctl show t-add
	expect_field VPs 3 || { "$HVCTL" delete t-add; return 1; }
	tid=$(sed -n 's/^Id:[[:space:]]*//p' "$out")
	got=$(cat "$SYSFS/partitions/$tid/vp_count")
	"$HVCTL" delete t-add || return 1
	[ "$got" = 3 ] && return 0
	diag "$SYSFS/partitions/$tid/vp_count holds '$got', expected 3"
	return 1
}

t_add_vp_max() {
	need_module || return 1
	run_hvctl create t-max --memory 1M --vps 64
	expect_status 0 || return 1
	run_hvctl add-vp t-max --entry 0x7c00
	"$HVCTL" delete t-max || return 1
	expect_error_exact "partition t-max has 64 VPs, the most a partition can have"
}

t_create_exists() {
	need_module || return 1
	run_hvctl create "$P" --memory 4M
	expect_error "a partition named '$P' exists already"
}

t_bad_sizes() {
	for size in 12X 5000 0 65G -1M; do
		run_hvctl create t-size --memory "$size"
		case $size in
		12X | -1M) msg="invalid memory size '$size'" ;;
		65G) msg="memory size '65G' is too large: at most 64G" ;;
		*) msg="memory size '$size' is not a positive multiple of 4K" ;;
		esac
		expect_usage_error "$msg" || return 1
	done
	run_hvctl create t-size
	expect_usage_error "'create' needs --memory SIZE"
}

t_bad_names() {
	for name in .x 'a b' 'a/b' abcdefghijabcdefghijabcdefghij12; do
		run_hvctl create "$name" --memory 4M
		expect_usage_error "invalid partition name '$name': use 1 to 31 characters" || return 1
	done
	run_hvctl create 123 --memory 4M
	expect_usage_error "invalid partition name '123': a name of digits only would be read as an id"
}

t_unknown_partition() {
	need_module || return 1
	for cmd in show delete stop pause resume run add-vp counters; do
		run_hvctl $cmd no-such-partition
		expect_error "no partition named 'no-such-partition' (hvctl list shows them)" || return 1
	done
	run_hvctl show 4000000000
	expect_error "no partition with id or name '4000000000'"
}

t_wrong_option() {
	run_hvctl show "$P" --memory 4M
	expect_usage_error "option '--memory' does not apply to 'show'" || return 1
	run_hvctl run "$P" --image x
	expect_usage_error "'run' takes --image only with --start"
}

t_mode_long() {
	run_hvctl start "$P" --image "$tmp/spin.bin" --mode long
	expect_usage_error "--mode long is not supported yet"
}

t_stop_off() {
	need_module || return 1
	run_hvctl stop "$P"
	expect_error_exact "partition $P is already off" || return 1
	run_hvctl stop "$P" --force
	expect_error_exact "partition $P is already off"
}

t_pause_off() {
	need_module || return 1
	run_hvctl pause "$P"
	expect_error "partition $P is off; start it with: hvctl run $P --start --image FILE"
}

t_run_off() {
	need_module || return 1
	run_hvctl run "$P"
	expect_error "partition $P is off; start it with: hvctl run $P --start --image FILE"
}

t_run_hello() {
	need_module || return 1
	need_guests || return
	need_hello || return 1
	run_hvctl run "$P" --start --image "$HELLO"
	expect_status 0 || return 1
	expect_re "$out" '^Hello from an hvcore partition$' &&
		expect_re "$out" '^Hypervisor vendor: hvcore Linux$' && expect_empty "$err"
}

t_show_after_run() {
	need_module || return 1
	need_guests || return
	run_hvctl show "$P"
	expect_status 0 || return 1
	expect_field State off && expect_field "Exit code" 0 || return 1
	# The guest printed through the UART: VP 0 has I/O exits.
	expect_re "$out" '^  Exits: .* io=[1-9]'
}

t_run_exit_code() {
	need_module || return 1
	need_guests || return
	run_hvctl run "$P" --start --image "$tmp/exit7.bin"
	expect_status 3 || return 1
	expect_empty "$out" && expect_in "$err" "hvctl: partition $P exited with code 7" || return 1
	n=$(grep -c "port 0x80, which is not emulated" "$err")
	if [ "$n" -ne 1 ]; then
		diag "expected one note about port 0x80, got $n"
		dump
		return 1
	fi
	run_hvctl show "$P"
	expect_status 0 && expect_field State off && expect_field "Exit code" 7
}

t_run_log() {
	need_module || return 1
	need_guests || return
	need_hello || return 1
	rm -f "$tmp/serial.log"
	run_hvctl run "$P" --log "$tmp/serial.log" --start --image "$HELLO"
	expect_status 0 && expect_empty "$out" && expect_empty "$err" || return 1
	expect_re "$tmp/serial.log" '^Hello from an hvcore partition$' &&
		expect_re "$tmp/serial.log" '^Hypervisor vendor: hvcore Linux$'
}

# run --detach: the parent prints the worker's pid and exits 0; the worker
# serves the guest (its UART output lands in the log) and ends with it.
t_run_detach() {
	need_module || return 1
	need_guests || return
	need_hello || return 1
	run_hvctl create t-det --memory 1M
	expect_status 0 || return 1
	rm -f "$tmp/det.log"
	run_hvctl run t-det --detach --log "$tmp/det.log" --start --image "$HELLO"
	pid=$(cat "$out")
	expect_status 0 && expect_empty "$err" && expect_re "$out" '^[1-9][0-9]*$' || return 1
	worker_ended "$pid" || return 1
	"$HVCTL" delete t-det || return 1
	expect_line "$tmp/det.log" 1 "hvctl: worker of partition t-det (pid $pid) detached, serving it" &&
		expect_re "$tmp/det.log" '^Hello from an hvcore partition$' &&
		expect_re "$tmp/det.log" '^Hypervisor vendor: hvcore Linux$' &&
		expect_in "$tmp/det.log" "hvctl: worker of partition t-det (pid $pid) ends with exit status 0"
}

# detach_xspin: partition t-det runs xspin served by a detached worker
# ($pid), which has printed the guest's line.
detach_xspin() {
	run_hvctl create t-det --memory 1M
	expect_status 0 || return 1
	rm -f "$tmp/det.log"
	run_hvctl run t-det --detach --log "$tmp/det.log" --start --image "$tmp/xspin.bin"
	pid=$(cat "$out")
	expect_status 0 && expect_re "$out" '^[1-9][0-9]*$' || return 1
	i=0
	while ! grep -qx x "$tmp/det.log" && [ "$i" -lt 20 ]; do
		sleep 1
		i=$((i + 1))
	done
	expect_re "$tmp/det.log" '^x$' || return 1
	[ -d "/proc/$pid" ] && return 0
	diag "the detached worker is gone while its partition runs"
	return 1
}

t_run_detach_stop() {
	need_module || return 1
	need_guests || return
	detach_xspin || { "$HVCTL" delete t-det --force; return 1; }
	run_hvctl stop t-det --force --code 3
	expect_status 0 || return 1
	worker_ended "$pid" || return 1
	"$HVCTL" delete t-det || return 1
	expect_in "$tmp/det.log" "hvctl: partition t-det was stopped from outside the guest" &&
		expect_in "$tmp/det.log" "hvctl: partition t-det exited with code 3" &&
		expect_in "$tmp/det.log" "hvctl: worker of partition t-det (pid $pid) ends with exit status 3"
}

t_run_detach_delete() {
	need_module || return 1
	need_guests || return
	detach_xspin || { "$HVCTL" delete t-det --force; return 1; }
	run_hvctl delete t-det --force
	expect_status 0 || return 1
	worker_ended "$pid" || return 1
	expect_in "$tmp/det.log" "hvctl: partition t-det was deleted; its worker ends" &&
		expect_in "$tmp/det.log" "hvctl: worker of partition t-det (pid $pid) ends with exit status 0"
}

t_run_detach_bad_log() {
	need_module || return 1
	run_hvctl run "$P" --detach --log /nonexistent/dir/w.log --start --image "$tmp/spin.bin"
	expect_error_exact "cannot open log file /nonexistent/dir/w.log: No such file or directory"
}

t_run_crash() {
	need_module || return 1
	need_guests || return
	run_hvctl run "$P" --start --image "$tmp/triple.bin"
	expect_status 4 || return 1
	expect_empty "$out" && expect_in "$err" "hvctl: partition $P crashed: triple fault" ||
		return 1
	run_hvctl show "$P"
	expect_status 0 && expect_field State crashed && expect_field "Crash reason" "triple fault" ||
		return 1
	run_hvctl show "$P" --json
	expect_status 0 && expect_in "$out" '"crash":{"reason":"triple_fault","text":"triple fault"'
}

t_start_crashed() {
	need_module || return 1
	need_guests || return
	run_hvctl start "$P" --image "$tmp/spin.bin"
	expect_error "partition $P crashed (triple fault); 'hvctl stop $P' takes it back to off"
}

t_add_vp_crashed() {
	need_module || return 1
	need_guests || return
	run_hvctl add-vp "$P" --entry 0x7c00
	expect_error_exact "partition $P crashed (triple fault); 'hvctl stop $P' takes it back to off"
}

t_stop_crashed() {
	need_module || return 1
	need_guests || return
	run_hvctl stop "$P"
	expect_status 0 && expect_empty "$out" && expect_empty "$err" || return 1
	run_hvctl show "$P"
	expect_field State off
}

# wait_state STATE: up to 20 s for partition $P to be in STATE.
wait_state() {
	i=0
	while [ "$i" -lt 20 ]; do
		[ "$("$HVCTL" show "$P" 2>/dev/null | sed -n 's/^State:[[:space:]]*//p')" = "$1" ] &&
			return 0
		sleep 1
		i=$((i + 1))
	done
	diag "partition $P did not become $1 within 20 s"
	return 1
}

t_run_sigterm() {
	need_module || return 1
	need_guests || return
	: >"$out"
	: >"$err"
	"$HVCTL" run "$P" --start --image "$tmp/spin.bin" >"$out" 2>"$err" &
	pid=$!
	if ! wait_state running; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid"
		dump
		return 1
	fi
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	expect_status 143 || return 1
	expect_in "$err" "hvctl: detached from partition $P on SIGTERM"
}

t_pause_resume() {
	need_module || return 1
	need_guests || return
	run_hvctl pause "$P"
	expect_status 0 && expect_empty "$err" || return 1
	run_hvctl show "$P"
	expect_field State paused || return 1
	run_hvctl pause "$P"
	expect_error "partition $P is already paused" || return 1
	run_hvctl resume "$P"
	expect_status 0 && expect_empty "$err" || return 1
	run_hvctl resume "$P"
	expect_error "partition $P is already running"
}

t_set_running() {
	need_module || return 1
	need_guests || return
	set_ok cpu.weight=300 cpu.cap=50 || return 1
	run_hvctl show "$P"
	expect_field State running || return 1
	expect_policy 300 0 50 || return 1
	set_ok cpu.weight=100 cpu.cap=100 || return 1
	expect_policy 100 0 100
}

# top_vp_row: the row of VP 0 of $P in "hvctl top" output.
top_vp_row() {
	awk -v p="$P" '$2 == p && $3 == "0"' "$out"
}

# A spinning VP alone on an otherwise idle LP runs nearly 100 % of the
# interval: RUN% of its row, each table, within 90..102.
t_top_batch() {
	need_module || return 1
	need_guests || return
	run_hvctl top --batch --iterations 2 --interval 1
	expect_status 0 && expect_empty "$err" || return 1
	n=$(grep -c '^hvctl top: ' "$out")
	if [ "$n" -ne 2 ]; then
		diag "expected 2 tables, got $n"
		dump
		return 1
	fi
	if grep -q "$(printf '\033')" "$out"; then
		diag "batch output has escape sequences"
		dump
		return 1
	fi
	expect_re "$out" '^hvctl top: 1\.[0-9][0-9] s, [0-9]+ LPs: hvcore [0-9.]+% \(guest [0-9.]+%, hypervisor [0-9.]+%\), root [0-9.]+%, idle [0-9.]+%$' &&
		expect_re "$out" '^ID +NAME +VP +STATE +LP +RUN% +GUEST% +WAIT/DISP +DISP/S +EXITS/S +MIGR$' ||
		return 1
	top_vp_row >"$tmp/rows"
	n=$(count_lines <"$tmp/rows")
	bad=$(awk '$4 != "running" && $4 != "ready" || $6 < 90 || $6 > 102 || $9 <= 0' "$tmp/rows")
	if [ "$n" -ne 2 ] || [ -n "$bad" ]; then
		diag "VP 0 rows: expected 2, running or ready, RUN% 90 to 102, DISP/S > 0:"
		sed 's/^/#   /' "$tmp/rows"
		return 1
	fi
	# The partition's row has the same figures as its only VP's.
	part=$(awk -v p="$P" '$2 == p && $3 == "-" { print $6, $7, $9, $10 }' "$out" | head -n1)
	vp=$(awk '{ print $6, $7, $9, $10 }' "$tmp/rows" | head -n1)
	[ "$part" = "$vp" ] && return 0
	diag "partition row '$part', VP row '$vp'"
	return 1
}

t_top_json() {
	need_module || return 1
	need_guests || return
	run_hvctl top --json --iterations 2 --interval 0.5
	expect_status 0 && expect_json 2 || return 1
	expect_re "$out" '^\{"time_ns":[0-9]+,"interval_ns":[0-9]+,"lps":[0-9]+,"lp_pct":\{"vps":' &&
		expect_re "$out" "\"name\":\"$P\",\"state\":\"running\",\"run_pct\":(9[0-9]|10[01])\\."
}

# counters --interval: per interval what each counter grew by. The VP's
# run time grew by at most the interval, at least 90 % of it; the
# interval is at most what /proc/uptime saw pass.
t_counters_interval() {
	need_module || return 1
	need_guests || return
	read -r up0 _ </proc/uptime
	run_hvctl counters "$P" --interval 1 --count 2 --json
	read -r up1 _ </proc/uptime
	expect_status 0 && expect_json 2 || return 1
	tr ',{' '\n\n' <"$out" | awk -F: -v up="$up1 $up0" '
		/^"interval_ns"/ { iv = $2; n++; split(up, u, " ")
			if (iv < 0.9e9 || iv > 2 * 1e9 || iv > (u[1] - u[2]) * 1e9) bad = "interval " iv }
		/^"vp":0$/ { vp = 1 }
		vp && /^"total_ns"/ { if ($2 > iv * 1.01 || $2 < iv * 0.9) bad = "total_ns " $2 " of " iv; vp = 0 }
		END { if (n != 2) bad = bad " intervals " n; if (bad) { print bad; exit 1 } }' >"$tmp/bad" ||
		{ diag "$(cat "$tmp/bad")"; dump; return 1; }
	run_hvctl counters "$P" --interval 0.5 --count 1
	expect_status 0 || return 1
	expect_re "$out" '^Interval 1: 0\.[0-9]+ s; counts and times are what each counter grew by$' &&
		expect_re "$out" '^  total_ns +[0-9]+ ns +(9[0-9]|10[01])\.[0-9]+% of an LP$' &&
		expect_re "$out" '^  dispatches +[1-9][0-9]* +[0-9.]+/s$'
}

# Reservations that do not fit: one VP above what the root leaves, and a
# VP beside another running partition that holds every LP's room.
t_set_enospc() {
	need_module || return 1
	need_guests || return
	root=$(cat /sys/module/hvcore/parameters/root_reserve)
	lps=$(cat "$SYSFS/lps_enabled")
	room=$((100 - root))
	run_hvctl set "$P" cpu.reserve=$((room + 1))
	expect_error_exact "cannot set cpu.reserve=$((room + 1)) on partition $P: No space left on device: a VP may reserve at most $room% of an LP, the root partition keeps $root% of each (module parameter root_reserve); lower cpu.reserve" ||
		return 1
	run_hvctl create t-hold --memory 1M --vps "$lps"
	expect_status 0 || return 1
	run_hvctl set t-hold cpu.reserve=$room
	expect_status 0 || return 1
	run_hvctl start t-hold --image "$tmp/spin.bin"
	if ! expect_status 0; then
		"$HVCTL" delete t-hold
		return 1
	fi
	run_hvctl set "$P" cpu.reserve=1
	"$HVCTL" stop t-hold --force && "$HVCTL" delete t-hold || return 1
	expect_error_exact "cannot set cpu.reserve=1 on partition $P: No space left on device: its 1 VP x 1% = 1% do not fit; running and paused partitions may reserve $((lps * room))% in all ($lps LPs x $room%, the root keeps $root% of each) and the others hold $((lps * room))%; lower cpu.reserve, or stop a partition that holds a reservation" ||
		return 1
	expect_policy 100 0 100 || return 1
	# With the other one gone it fits.
	set_ok cpu.reserve=1 && set_ok cpu.reserve=0
}

# start puts every VP at the entry: all of them run the spinning guest.
t_start_all_vps() {
	need_module || return 1
	need_guests || return
	run_hvctl create t-vps --memory 1M --vps 3
	expect_status 0 || return 1
	run_hvctl start t-vps --image "$tmp/spin.bin"
	expect_status 0 || { "$HVCTL" delete t-vps; return 1; }
	sleep 1
	run_hvctl show t-vps --json
	"$HVCTL" stop t-vps --force && "$HVCTL" delete t-vps || return 1
	expect_status 0 && expect_in "$out" '"state":"running"' || return 1
	for vp in 0 1 2; do
		expect_re "$out" "\{\"vp\":$vp,\"state\":\"(ready|running)\",\"lp\":[0-9]+,\"asid\":[0-9]+,\"total_ns\":[1-9]" ||
			return 1
	done
	return 0
}

t_delete_running() {
	need_module || return 1
	need_guests || return
	run_hvctl delete "$P"
	expect_error_exact "partition $P is running; stop it first (hvctl stop $P --force), or turn it off and delete it at once: hvctl delete $P --force"
}

# stop without --force: running and paused partitions are refused.
t_stop_running() {
	need_module || return 1
	need_guests || return
	run_hvctl stop "$P"
	expect_error_exact "partition $P is running; hvcore cannot ask its guest to shut down, so stopping turns it off at once and the guest's state is lost; to do that: hvctl stop $P --force" ||
		return 1
	run_hvctl pause "$P"
	expect_status 0 || return 1
	run_hvctl stop "$P" --code 9
	expect_error_exact "partition $P is paused; hvcore cannot ask its guest to shut down, so stopping turns it off at once and the guest's state is lost; to do that: hvctl stop $P --force" ||
		return 1
	run_hvctl resume "$P"
	expect_status 0 || return 1
	run_hvctl show "$P"
	expect_field State running && expect_field "Exit code" 0
}

# add-vp on a running partition: the new VP runs at once.
t_add_vp_running() {
	need_module || return 1
	need_guests || return
	run_hvctl add-vp "$P" --entry 0x7c00
	expect_status 0 && expect_line "$out" 1 "added VP 1 to partition $P" || return 1
	sleep 1
	run_hvctl counters "$P" --vp 1 --json
	expect_status 0 || return 1
	expect_re "$out" '"vps":\[\{"vp":1,"state":"(ready|running)","lp":[0-9]+,"counters":\{"total_ns":[1-9]'
}

t_delete_force() {
	need_module || return 1
	need_guests || return
	run_hvctl create t-del --memory 1M --vps 2
	expect_status 0 || return 1
	run_hvctl start t-del --image "$tmp/spin.bin"
	expect_status 0 || { "$HVCTL" delete t-del; return 1; }
	run_hvctl delete t-del --force
	expect_status 0 && expect_empty "$out" && expect_empty "$err" || return 1
	run_hvctl show t-del
	expect_error_exact "no partition named 't-del' (hvctl list shows them)"
}

t_stop_code() {
	need_module || return 1
	need_guests || return
	run_hvctl stop "$P" --force --code 5
	expect_status 0 && expect_empty "$err" || return 1
	run_hvctl show "$P"
	expect_field State off && expect_field "Exit code" 5
}

t_delete() {
	need_module || return 1
	run_hvctl delete "$P"
	expect_status 0 && expect_empty "$out" && expect_empty "$err" || return 1
	run_hvctl list
	expect_status 0 || return 1
	if [ -n "$(list_row)" ]; then
		diag "partition $P is still listed after delete"
		dump
		return 1
	fi
	run_hvctl delete "$P"
	expect_error "no partition named '$P'"
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
run_test "create a partition with --memory and --vps" t_create
run_test "list shows its id, name, state, memory and VPs" t_list
run_test "list --json" t_list_json
run_test "show by name and by id" t_show
run_test "show --json" t_show_json
run_test "show: the default CPU policy, as sysfs has it" t_show_policy_default
run_test "set without KEY=VALUE exits 2" t_set_no_keys
run_test "set with a word without '=' exits 2" t_set_no_equals
run_test "set with an unknown key exits 2" t_set_unknown_key
run_test "set with a value that is no decimal number exits 2" t_set_not_a_number
run_test "set cpu.weight out of 1..10000 exits 2" t_set_weight_range
run_test "set cpu.reserve above 100, cpu.cap 0 or above 100 exit 2" t_set_pct_range
run_test "set cpu.reserve above cpu.cap, or a key twice, exits 2" t_set_reserve_above_cap
run_test "set on an unknown partition exits 1" t_set_unknown_partition
run_test "a refused set changes nothing" t_set_bad_changed_nothing
run_test "set, read back with show, show --json and sysfs; subsets keep the rest" t_set_show
run_test "set against the partition's cap or reservation exits 1" t_set_against_current
run_test "set cpu.io-boost with a value other than on or off exits 2" t_set_io_boost_bad
run_test "set cpu.io-boost, read back with show, show --json and sysfs" t_set_io_boost
run_test "bad --interval exits 2" t_bad_interval
run_test "bad --count and --iterations exit 2" t_bad_count
run_test "bad --vp, and options counters and top do not take, exit 2" t_bad_vp_option
run_test "run --detach without --log exits 2" t_detach_needs_log
run_test "every --json output is one line of valid JSON" t_json_valid
run_test "counters of an off partition: every counter, text and JSON" t_counters_off
run_test "counters of an unknown partition or VP exit 1" t_counters_errors
run_test "add-vp: without an entry exits 1, with one adds VP 1 and 2" t_add_vp
run_test "add-vp beyond 64 VPs exits 1" t_add_vp_max
run_test "create of an existing name exits 1" t_create_exists
run_test "bad memory sizes exit 2 and say what is accepted" t_bad_sizes
run_test "bad partition names exit 2" t_bad_names
run_test "an unknown partition exits 1" t_unknown_partition
run_test "options a command does not take exit 2" t_wrong_option
run_test "start --mode long exits 2: not supported yet" t_mode_long
run_test "stop of an off partition exits 1: already off" t_stop_off
run_test "pause of an off partition exits 1" t_pause_off
run_test "run of an off partition without --start exits 1" t_run_off
run_test "run --start of the demo guest prints its greeting and vendor, exits 0" t_run_hello
run_test "show after the demo: off, exit code 0, I/O exits counted" t_show_after_run
run_test "a guest exiting with code 7: run exits 3 and says so" t_run_exit_code
run_test "run --log FILE writes the serial output to FILE" t_run_log
run_test "run --detach prints the worker's pid; it serves the guest to its end" t_run_detach
run_test "a detached worker ends when its partition is stopped" t_run_detach_stop
run_test "a detached worker ends when its partition is deleted" t_run_detach_delete
run_test "run --detach with a log that cannot be opened exits 1" t_run_detach_bad_log
run_test "a triple-faulting guest: run exits 4 and names the reason" t_run_crash
run_test "start of a crashed partition exits 1" t_start_crashed
run_test "add-vp on a crashed partition exits 1" t_add_vp_crashed
run_test "stop takes a crashed partition back to off" t_stop_crashed
run_test "run exits 143 on SIGTERM, detached" t_run_sigterm
run_test "pause and resume a running partition" t_pause_resume
run_test "set on a running partition" t_set_running
run_test "top --batch: a spinning VP runs 90-102 % of an LP" t_top_batch
run_test "top --json: one valid line per iteration" t_top_json
run_test "counters --interval: deltas against the interval and /proc/uptime" t_counters_interval
run_test "set: reservations that do not fit exit 1 with the figures" t_set_enospc
run_test "start puts every VP at the entry" t_start_all_vps
run_test "delete of a running partition exits 1" t_delete_running
run_test "stop of a running or paused partition without --force exits 1" t_stop_running
run_test "add-vp on a running partition: the new VP runs" t_add_vp_running
run_test "delete --force of a running partition" t_delete_force
run_test "stop --force --code sets the exit code" t_stop_code
run_test "delete, and delete again exits 1" t_delete
run_test "rmmod hvcore" t_unload
run_test "features without hvcore exits 1 and says so" t_features_unloaded
run_test "topology without hvcore exits 0 and shows '-'" t_topology_unloaded

if [ "$num" -ne "$NTESTS" ]; then
	diag "planned $NTESTS tests but ran $num"
	failed=$((failed + 1))
fi
echo "# Totals: pass:$passed fail:$failed xfail:0 xpass:0 skip:$skipped error:0"
[ "$failed" -eq 0 ]
