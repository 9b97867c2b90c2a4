#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Linux kernel + initramfs in Bochs (the emulated Intel VMX test host,
# DESIGN.md §6) and capture its serial console (ttyS0) to a log file.
#
#   run-bochs.sh --kernel VMLINUZ --initrd INITRD.cpio.gz --log SERIAL.log
#                --timeout SECONDS [--append "extra kernel args"] [--cpus N]
#                [--megs M] [--ips IPS] [--workdir DIR]
#
# Builds an isolinux ISO in the work directory, writes a bochsrc there and
# runs Bochs with no terminal I/O.  Bochs's own output goes to bochs.out and
# bochs.log in the work directory.  The work directory is a fresh temporary
# one, removed at the end, unless --workdir is given (then it is kept).
#
# Exit status: 0 if Bochs ended by itself before the timeout (Bochs exits 1
# even on a clean power-off, so judge the run by the serial log), 124 if the
# timeout killed it, 2 on usage errors, 1 on other errors.
set -euo pipefail

# Instructions per emulated second (--ips).  With "clock: sync=none" the
# emulated clock advances by instructions, 1e9/IPS ns each, and Bochs's
# TSC once per instruction, so the guest is told its TSC runs at
# IPS/1000 kHz.
DEFAULT_IPS=50000000
BIOS=/usr/share/bochs/BIOS-bochs-latest
VGABIOS=/usr/share/vgabios/vgabios.bin
ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
LDLINUX_C32=/usr/lib/syslinux/modules/bios/ldlinux.c32

prog=${0##*/}
die() { echo "$prog: $*" >&2; exit 1; }
usage() {
	cat >&2 <<EOF
usage: $prog --kernel VMLINUZ --initrd INITRD.cpio.gz --log SERIAL.log --timeout SECONDS
       [--append "extra kernel args"] [--cpus N] [--megs M] [--ips IPS] [--workdir DIR]
EOF
	exit 2
}

kernel='' initrd='' log='' timeout='' append='' cpus=1 megs=1024 ips=$DEFAULT_IPS workdir=''
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || { echo "$prog: $1 needs a value" >&2; usage; }
	case $1 in
	--kernel)  kernel=$2 ;;
	--initrd)  initrd=$2 ;;
	--log)     log=$2 ;;
	--timeout) timeout=$2 ;;
	--append)  append=$2 ;;
	--cpus)    cpus=$2 ;;
	--megs)    megs=$2 ;;
	--ips)     ips=$2 ;;
	--workdir) workdir=$2 ;;
	*) echo "$prog: unknown argument: $1" >&2; usage ;;
	esac
	shift 2
done

if [ -z "$kernel" ] || [ -z "$initrd" ] || [ -z "$log" ] || [ -z "$timeout" ]; then
	usage
fi
for v in timeout cpus megs ips; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "$prog: --$v must be a positive integer" >&2; usage; }
done
[ -f "$kernel" ] || die "no such kernel: $kernel"
[ -f "$initrd" ] || die "no such initrd: $initrd"
case $append in *$'\n'*) die "--append must be one line" ;; esac
for f in "$BIOS" "$VGABIOS" "$ISOLINUX_BIN" "$LDLINUX_C32"; do
	[ -f "$f" ] || die "missing $f (install bochsbios, vgabios, isolinux, syslinux-common)"
done
for c in bochs genisoimage timeout pkill; do
	command -v "$c" >/dev/null || die "missing command: $c"
done

# Absolute paths: Bochs runs inside the work directory.
abspath() { local d; d=$(cd "$(dirname "$1")" && pwd) && echo "$d/${1##*/}"; }
kernel=$(abspath "$kernel") || die "bad --kernel path"
initrd=$(abspath "$initrd") || die "bad --initrd path"
log=$(abspath "$log") || die "cannot reach the directory of --log"

keep=1
if [ -z "$workdir" ]; then
	workdir=$(mktemp -d "${TMPDIR:-/tmp}/run-bochs.XXXXXX")
	keep=0
else
	mkdir -p "$workdir"
fi
workdir=$(cd "$workdir" && pwd)

timeout_pid=''
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
	# Interrupted: Bochs ignores SIGTERM, so kill it (timeout's only child).
	if [ -n "$timeout_pid" ]; then
		pkill -KILL -P "$timeout_pid" 2>/dev/null ||
			kill -KILL "$timeout_pid" 2>/dev/null || true
		wait "$timeout_pid" 2>/dev/null || true
	fi
	[ "$keep" = 1 ] || rm -rf -- "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- ISO -----------------------------------------------------------------
iso_root=$workdir/iso
rm -rf -- "$iso_root" "$workdir/boot.iso"
mkdir -p "$iso_root/isolinux"
# Copies, not links: -boot-info-table patches isolinux.bin in place.
cp "$ISOLINUX_BIN" "$LDLINUX_C32" "$iso_root/isolinux/"
cp "$kernel" "$iso_root/isolinux/vmlinuz"
cp "$initrd" "$iso_root/isolinux/initrd.img"
cmdline="console=ttyS0,115200 quiet edd=off panic=-1 reboot=t cryptomgr.notests=1"
cmdline+=" mitigations=off tsc_early_khz=$((ips / 1000))"
# With more than one CPU, Bochs sometimes misses the store that should end
# another CPU's MWAIT: Linux wakes an idle CPU that polls in MWAIT by setting
# a flag, without an IPI, and the lost wake-up hung a CPU re-online (CPU1
# idle in intel_idle, the BSP waiting for CPU1's hotplug thread). idle=nomwait
# makes idle CPUs HLT, so every wake-up is an IPI (the kernel's own answer to
# X86_BUG_MONITOR). One CPU has no cross-CPU wake-ups: the bench boot keeps
# MWAIT.
[ "$cpus" -gt 1 ] && cmdline+=" idle=nomwait"
cmdline+="${append:+ $append}"
cat >"$iso_root/isolinux/isolinux.cfg" <<EOF
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  LINUX /isolinux/vmlinuz
  INITRD /isolinux/initrd.img
  APPEND $cmdline
EOF
genisoimage -quiet -o "$workdir/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table -J -R "$iso_root" \
	>"$workdir/genisoimage.out" 2>&1 ||
	{ cat "$workdir/genisoimage.out" >&2; die "genisoimage failed"; }
rm -rf -- "$iso_root"

# --- Bochs ---------------------------------------------------------------
# The bochsrc names only files inside the work directory (Bochs's parser
# does not like spaces or commas in paths); serial.txt points at the log.
: >"$log" || die "cannot write $log"
ln -sfn "$log" "$workdir/serial.txt"
cat >"$workdir/bochsrc" <<EOF
megs: $megs
romimage: file=$BIOS
vgaromimage: file=$VGABIOS
vga: extension=none, update_freq=1
cpu: model=corei7_skylake_x, count=$cpus, ips=$ips, reset_on_triple_fault=0, ignore_bad_msrs=1
ata0-master: type=cdrom, path=boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=serial.txt
display_library: term
clock: sync=none, time0=local
log: bochs.log
panic: action=fatal
error: action=report
info: action=report
EOF
echo c >"$workdir/dbg.rc"

start=$(date +%s.%N)
start_s=$SECONDS
cd "$workdir"
# timeout -s KILL exits 128+9, not 124, when it had to kill Bochs (by
# design: coreutils preserves a SIGKILL status); 124 is set below from the
# elapsed time.  --foreground: without it timeout also SIGKILLs its own
# process group, itself included; with it, only Bochs is killed (the bochs
# wrapper execs bochs-bin, which has no children) and Bochs stays in the
# caller's foreground process group (no SIGTTOU/SIGTTIN under a terminal).
# Background + wait, so that a signal to this script runs the cleanup trap.
TERM=xterm timeout --foreground -s KILL "$timeout" bochs -q -f bochsrc -rc dbg.rc \
	</dev/null >bochs.out 2>&1 &
timeout_pid=$!
rc=0
wait "$timeout_pid" || rc=$?
timeout_pid=''
end=$(date +%s.%N)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

if [ "$rc" = 124 ] || { [ "$rc" = 137 ] && [ $((SECONDS - start_s)) -ge "$timeout" ]; }; then
	echo "$prog: ${kernel##*/}: timed out after ${secs}s (limit ${timeout}s), killed Bochs" >&2
	exit 124
fi
echo "$prog: ${kernel##*/}: Bochs ended after ${secs}s (exit status $rc)" >&2
exit 0
