#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-unit: the bash completion of hvctl
# (tools/hvctl/hvctl.bash-completion), against a fake sysfs with two
# partitions. Prints TAP; exits 1 when a case fails.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# bash-completion's compopt works only inside a completion; outside one
# it fails, which the script tolerates.
# shellcheck source=../tools/hvctl/hvctl.bash-completion
. "$top/tools/hvctl/hvctl.bash-completion"

_HVCTL_SYSFS=$tmp/sysfs
mkdir -p "$_HVCTL_SYSFS/partitions/1" "$_HVCTL_SYSFS/partitions/7"
echo prod1 >"$_HVCTL_SYSFS/partitions/1/name"
echo 2 >"$_HVCTL_SYSFS/partitions/1/vp_count"
echo test1 >"$_HVCTL_SYSFS/partitions/7/name"
echo 3 >"$_HVCTL_SYSFS/partitions/7/vp_count"
touch "$tmp/guest.bin" "$tmp/guest.log"

n=0
failed=0

# check LINE EXPECTED: completing at the end of LINE offers exactly the
# words of EXPECTED (any order).
check() {
	local got want
	n=$((n + 1))
	COMP_LINE=$1
	COMP_POINT=${#1}
	read -ra COMP_WORDS <<<"$1"
	COMP_CWORD=${#COMP_WORDS[@]}
	[[ $1 =~ [[:space:]]$ ]] || COMP_CWORD=$((COMP_CWORD - 1))
	COMPREPLY=()
	_hvctl hvctl 2>/dev/null
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	# shellcheck disable=SC2086	# the expected words, split
	want=$(printf '%s\n' $2 | sed '/^$/d' | sort | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		echo "ok $n '$1'"
	else
		echo "not ok $n '$1'"
		echo "#   expected: $want"
		echo "#   got:      $got"
		failed=$((failed + 1))
	fi
}

echo "TAP version 13"
echo "1..17"
check "hvctl " "features topology version help list show create delete set start pause resume stop add-vp run counters top"
check "hvctl co" "counters"
check "hvctl --" "--json --help"
check "hvctl st" "start stop"
check "hvctl show " "prod1 test1"
check "hvctl stop p" "prod1"
check "hvctl stop prod1 --" "--force --code --help"
check "hvctl --json counters " "prod1 test1"
check "hvctl counters test1 --vp " "0 1 2"
check "hvctl top --" "--interval --iterations --batch --json --help"
check "hvctl set prod1 cpu.w" "cpu.weight="
check "hvctl set prod1 cpu.weight=200 " "cpu.weight= cpu.reserve= cpu.cap= cpu.io-boost="
check "hvctl set prod1 cpu.io-boost=o" "on off"
check "hvctl start prod1 --mode " "real long"
check "hvctl run prod1 --log $tmp/guest.l" "$tmp/guest.log"
check "hvctl create " ""
check "hvctl create new --memory " ""
[ "$failed" -eq 0 ]
