#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# diag.sh COMMAND ARGS...: run one suite entry with the CPU-hotplug
# tracepoints on, and if it fails, print where every hotplug step got to
# and the stacks of the blocked tasks, as TAP comments, so that a hang the
# test host cannot reproduce on demand still leaves its evidence in the
# serial log. The exit status is the command's.
tr=/sys/kernel/tracing
mount -t tracefs tracefs "$tr" 2>/dev/null
if [ -w "$tr/events/cpuhp/enable" ]; then
	echo 0 >"$tr/tracing_on"
	: >"$tr/trace"
	echo 1 >"$tr/events/cpuhp/enable"
	echo 1 >"$tr/tracing_on"
fi
"$@"
rc=$?
if [ "$rc" != 0 ]; then
	echo "# diag: '$*' exited $rc; the last CPU-hotplug steps:"
	grep -v '^#' "$tr/trace" 2>/dev/null | tail -n 40 | sed 's/^/# diag: /'
	echo "# diag: online CPUs $(cat /sys/devices/system/cpu/online)"
	# Blocked tasks and active CPUs' stacks, into the kernel log dump.
	echo w >/proc/sysrq-trigger 2>/dev/null
	echo l >/proc/sysrq-trigger 2>/dev/null
fi
[ -w "$tr/events/cpuhp/enable" ] && echo 0 >"$tr/events/cpuhp/enable"
exit "$rc"
