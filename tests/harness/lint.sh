#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict on every C file we track, then sparse on
# the kernel code as Kbuild compiles it (C=2), then the hvctl(8) manual
# page through rst2man. Any finding fails.
#
# One documented exception: checkpatch reads the asm-goto label operand in
# "_ASM_EXTABLE(1b, %l[label])" as a modulo operator (KVM's VMX code has
# the same finding); such lines are dropped, nothing else is.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${HVCACHE:-$top/.cache}
cd "$top"

"$top/tests/harness/provision.sh"

checkpatch() {
	"$cache/linux-src/scripts/checkpatch.pl" --strict --no-tree --quiet --terse \
		--show-types "$@" || true
}
# Userspace (tools/, selftests/) has no kernel __printf()/__aligned()
# macros, so checkpatch's advice to use them does not apply there.
mapfile -t kfiles < <(git ls-files '*.c' '*.h' | grep -v -e '^tools/' -e '^selftests/')
mapfile -t ufiles < <(git ls-files 'tools/*.c' 'tools/*.h' 'selftests/*.c' 'selftests/*.h')
echo "lint: checkpatch --strict on ${#kfiles[@]} kernel and ${#ufiles[@]} user-space files"
cp_out=$(checkpatch --ignore FILE_PATH_CHANGES -f "${kfiles[@]}"
	 checkpatch --ignore FILE_PATH_CHANGES,PREFER_DEFINED_ATTRIBUTE_MACRO -f "${ufiles[@]}")
findings=$(printf '%s\n' "$cp_out" | grep -v -e '^$' -e '^total:' | while IFS= read -r line; do
	f=${line%%:*}
	rest=${line#*:}
	n=${rest%%:*}
	if [ -f "$f" ] && [[ "$n" =~ ^[0-9]+$ ]] &&
	   sed -n "${n}p" "$f" | grep -q '_ASM_EXTABLE(.*%l\['; then
		continue
	fi
	printf '%s\n' "$line"
done)
rc=0
if [ -n "$findings" ]; then
	printf '%s\n' "$findings"
	rc=1
fi

abi=$(cat "$cache/abi-6.12")
echo "lint: sparse (C=2) against $abi"
rm -rf "$cache/lint"
mkdir -p "$cache/lint"
tar -cf - Kbuild kernel include | tar -C "$cache/lint" -xf -
if ! make -s -C "/usr/src/linux-headers-$abi" M="$cache/lint" C=2 CHECK=sparse modules \
	>"$cache/lint/sparse.log" 2>&1; then
	cat "$cache/lint/sparse.log"
	rc=1
elif grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error)' "$cache/lint/sparse.log"; then
	rc=1
fi

# hvctl(8) is built from Documentation/hvctl.rst (tools/hvctl/Makefile):
# the page must build without a docutils warning.
echo "lint: rst2man --halt=warning Documentation/hvctl.rst"
rst2man=$(command -v rst2man || command -v rst2man.py || true)
if [ -z "$rst2man" ]; then
	echo "lint: rst2man not found; install python3-docutils (apt-get install python3-docutils)"
	rc=1
elif ! "$rst2man" --halt=warning Documentation/hvctl.rst "$cache/lint/hvctl.8" \
	>"$cache/lint/rst2man.log" 2>&1; then
	cat "$cache/lint/rst2man.log"
	rc=1
elif [ -s "$cache/lint/rst2man.log" ]; then
	cat "$cache/lint/rst2man.log"
	rc=1
fi

[ "$rc" -eq 0 ] && echo "lint: clean" || echo "lint: findings above"
exit "$rc"
