#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the SVM test host (QEMU TCG, AMD EPYC with SVM and NPT) and capture
# its serial console.
#
#   run-qemu.sh --kernel VMLINUZ --initrd INITRD --log LOG --timeout S
#               [--append ARGS] [--cpus N] [--mem MiB] [--cpu MODEL] [--numa NODES]
#               [--icount SHIFT]
#
# --numa splits CPUs and memory evenly over NODES NUMA nodes.
# --icount makes the guest clock count instructions, 2^SHIFT ns each
# (-icount shift=SHIFT,sleep=off): deterministic timing for make bench.
#
# Exit status: 0 when the guest powered off, 124 when the timeout hit.
set -euo pipefail

kernel= initrd= log= tmo=300 append= cpus=2 mem=1024 cpu=EPYC,+svm,+npt numa=1 icount=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--numa) numa=$2; shift 2 ;;
	--icount) icount=$2; shift 2 ;;
	*) echo "run-qemu: unknown argument $1" >&2; exit 2 ;;
	esac
done

# One socket per node: cores of one socket on two nodes make Linux warn.
numa_args=()
smp=$cpus
if [ "$numa" -gt 1 ]; then
	smp="$cpus,sockets=$numa,cores=$((cpus / numa)),threads=1"
	per_cpus=$((cpus / numa))
	per_mem=$((mem / numa))
	for ((n = 0; n < numa; n++)); do
		numa_args+=(-object "memory-backend-ram,id=m$n,size=${per_mem}M"
			    -numa "node,nodeid=$n,cpus=$((n * per_cpus))-$(((n + 1) * per_cpus - 1)),memdev=m$n")
	done
fi

icount_args=()
[ -n "$icount" ] && icount_args=(-icount "shift=$icount,sleep=off")

start=$(date +%s)
rc=0
timeout -s KILL "$tmo" qemu-system-x86_64 -accel tcg -cpu "$cpu" -smp "$smp" -m "$mem" \
	"${numa_args[@]}" "${icount_args[@]}" -nographic -no-reboot -nodefaults -serial "file:$log" -monitor none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0,115200 quiet panic=-1 mitigations=off cryptomgr.notests=1 $append" \
	</dev/null >/dev/null 2>&1 || rc=$?
echo "run-qemu: $(basename "$log") took $(($(date +%s) - start)) s (status $rc)" >&2
[ "$rc" -eq 137 ] && exit 124
exit "$rc"
