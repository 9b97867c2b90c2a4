#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the test host (tests/harness/suites/bench), one step
# per suite entry so that each prints its own TAP:
#   bench.sh floor    load the floor module (hvbench_floor or hvbench_floor_vmx):
#                     it measures and refuses to stay
#   bench.sh hvcore   load hvcore, run hv_bench, unload hvcore
#   bench.sh kvm      load kvm + kvm_amd or kvm_intel, run kvm_bench, unload them
#   bench.sh ref      the host's own syscall and thread-handoff costs
#   bench.sh table    print the table of what the steps measured
# Each step appends "BENCH <impl> <name> ns=<per round trip> rounds=<n>"
# lines to $RESULTS, and hv_bench and kvm_bench the scheduler rows'
# "SCHED <impl> <key> <name>=<value>..." lines. Nothing here judges a time.
RESULTS=/tmp/bench-results
here=$(cd "$(dirname "$0")" && pwd)
moddir=${HVTEST_MODDIR:-/lib/hvtest/modules}
hvcore_ko=${HVCORE_KO:-$moddir/hvcore.ko}

# The value of hvbench.NAME= on the kernel command line, if any.
cmdline_arg() {
	for arg in $(cat /proc/cmdline); do
		case $arg in "hvbench.$1="*) echo "${arg#*=}"; return ;; esac
	done
}

kvm_vendor() {
	if grep -qw svm /proc/cpuinfo; then echo kvm-amd; else echo kvm-intel; fi
}

step_floor() {
	echo "TAP version 13"
	echo "1..1"
	floor=hvbench_floor
	[ "$(kvm_vendor)" = kvm-intel ] && floor=hvbench_floor_vmx
	out=$(insmod "$moddir/$floor.ko" 2>&1)
	echo "# insmod $floor.ko: ${out:-loaded} (it refuses to stay after measuring)"
	line=$(dmesg | sed -n 's/.*HVBENCH floor /BENCH floor /p' | tail -n1)
	dmesg | grep "$floor:" | tail -n3 | sed 's/^/# /'
	if [ -n "$line" ]; then
		echo "$line" >>"$RESULTS"
		echo "$line"
		echo "ok 1 floor cpuid"
	else
		echo "not ok 1 floor cpuid # no measurement in the kernel log"
	fi
}

# "pid comm runtime_ns" of every task, for the CPU users of a step.
task_times() {
	for d in /proc/[0-9]*; do
		read -r ns _ <"$d/schedstat" 2>/dev/null || continue
		echo "${d#/proc/} $(tr ' ' _ <"$d/comm" 2>/dev/null) $ns"
	done
}

# The five tasks that ran most between two task_times snapshots.
top_tasks() {
	awk 'NR == FNR { t[$1] = $3; next }
	     { d = $3 - t[$1]; if (d > 0) printf "%d %s\n", d / 1000000, $2 }' "$1" "$2" |
		sort -rn | head -n5 | awk '{ printf "# %8d ms  %s\n", $1, $2 }'
}

step_hvcore() {
	echo 1 >/proc/sys/kernel/sched_schedstats 2>/dev/null
	if ! out=$(insmod "$hvcore_ko" 2>&1); then
		echo "TAP version 13"
		echo "1..1"
		echo "ok 1 hvcore # SKIP insmod hvcore.ko: $out"
		return 0
	fi
	task_times >/tmp/tasks.before
	"$here/hv_bench" >/tmp/hv_bench.out 2>&1
	rc=$?
	task_times >/tmp/tasks.after
	cat /tmp/hv_bench.out
	echo "# tasks that ran most during hv_bench:"
	top_tasks /tmp/tasks.before /tmp/tasks.after
	grep '^BENCH \|^SCHED ' /tmp/hv_bench.out >>"$RESULTS"
	rmmod hvcore || rc=1
	return $rc
}

step_kvm() {
	echo 1 >/proc/sys/kernel/sched_schedstats 2>/dev/null
	top=$(kvm_vendor)
	loaded=
	for m in $(cat "$moddir/$top.order"); do
		args=
		# 6.12: turn SVM on only while a VM exists (6.1 has no such parameter).
		[ "$m" = kvm ] && args=enable_virt_at_load=0
		# shellcheck disable=SC2086
		if ! insmod "$moddir/$m.ko" $args 2>/dev/null && ! insmod "$moddir/$m.ko" 2>/dev/null; then
			echo "TAP version 13"
			echo "1..1"
			echo "not ok 1 kvm # insmod $m.ko failed"
			return 1
		fi
		loaded="$m $loaded"
	done
	task_times >/tmp/tasks.before
	"$here/kvm_bench" >/tmp/kvm_bench.out 2>&1
	rc=$?
	task_times >/tmp/tasks.after
	cat /tmp/kvm_bench.out
	echo "# tasks that ran most during kvm_bench:"
	top_tasks /tmp/tasks.before /tmp/tasks.after
	grep '^BENCH \|^SCHED ' /tmp/kvm_bench.out >>"$RESULTS"
	for m in $loaded; do
		rmmod "$(echo "$m" | tr - _)" || rc=1
	done
	return $rc
}

step_ref() {
	"$here/ref_bench" >/tmp/ref_bench.out 2>&1
	rc=$?
	cat /tmp/ref_bench.out
	grep '^BENCH ' /tmp/ref_bench.out >>"$RESULTS"
	return $rc
}

# How the test host's clock counts instructions, as "NS_PER_INSN HOW":
# QEMU under -icount shift=S (hvbench.icount_shift=S): 2^S ns each;
# Bochs with clock sync=none (hvbench.ns_per_insn=N): 1e9/IPS ns each.
insn_clock() {
	s=$(cmdline_arg icount_shift)
	if [ -n "$s" ]; then
		echo "$((1 << s)) under -icount shift=$s"
		return
	fi
	n=$(cmdline_arg ns_per_insn)
	[ -n "$n" ] && echo "$n under Bochs at $((1000000000 / n)) instructions per second"
}

step_table() {
	echo "TAP version 13"
	echo "1..1"
	clock=$(insn_clock)
	if [ -z "$clock" ]; then
		echo "not ok 1 table # no instruction clock (hvbench.icount_shift= or hvbench.ns_per_insn=)"
		return 1
	fi
	touch "$RESULTS"
	awk -v nspi="${clock%% *}" -v how="${clock#* }" -v kvm="$(kvm_vendor | tr - _)" '
	function insns(ns) { return ns / nspi }
	function cell(v) { return v == "" ? sprintf("%10s", "n/a") : sprintf("%10.1f", v) }
	function wake(impl, what, label, target,   m, a) {
		m = sv[impl "," what ",median_ns"]; a = sv[impl "," what ",mean_ns"]
		if (m == "")
			printf "HVBENCH-TABLE   %-40s%22s  %s\n", label, "n/a", target
		else
			printf "HVBENCH-TABLE   %-40s%8.1f /%8.1f us  %s (%.0f / %.0f insns)\n", label, m / 1000, a / 1000, target, insns(m), insns(a)
	}
	function sched_row(label, val, fmt, target, extra) {
		if (val == "")
			printf "HVBENCH-TABLE   %-40s%22s  %s\n", label, "n/a", target
		else
			printf "HVBENCH-TABLE   %-40s" fmt "  %s%s\n", label, val, target, extra
	}
	function ratio(a, b) { return (a == "" || b == "" || b == 0) ? sprintf("%14s", "n/a") : sprintf("%13.2fx", a / b) }
	$1 == "BENCH" { sub(/^ns=/, "", $4); v[$2 "," $3] = insns($4) }
	$1 == "SCHED" {
		for (i = 4; i <= NF; i++) {
			split($i, pair, "=")
			sv[$2 "," $3 "," pair[1]] = pair[2]
		}
	}
	END {
		n = split("cpuid hypercall io hlt", key, " ")
		label["cpuid"] = "CPUID"
		label["hypercall"] = "null hypercall"
		label["io"] = "port I/O to worker"
		label["hlt"] = "HLT wake"
		printf "HVBENCH-TABLE instructions per round trip (ns / %d %s)\n", nspi, how
		printf "HVBENCH-TABLE %-20s%10s%10s%10s%14s%14s\n", "", "hvcore", kvm, "floor", "hvcore/KVM", "hvcore/floor"
		for (i = 1; i <= n; i++) {
			k = key[i]
			h = v["hvcore," k]; kv = v["kvm," k]; f = v["floor," k]
			printf "HVBENCH-TABLE %-20s%s%s%s%s%s\n", label[k], cell(h), cell(kv), cell(f), ratio(h, kv), ratio(h, f)
		}
		if (("ref,syscall" in v) && ("ref,handoff" in v))
			printf "HVBENCH-TABLE reference, same host: getppid() %.1f, thread handoff over pipes %.1f\n", v["ref,syscall"], v["ref,handoff"]
		printf "HVBENCH-TABLE scheduler (issue 5), one LP                   measured  target\n"
		sched_row("share error, weights 100/150/250", sv["hvcore,share_100_150_250,err_pp"], "%19.2f pp", "<= 1 pp",
			  sv["hvcore,share_100_150_250,shares"] == "" ? "" : "  (" sv["hvcore,share_100_150_250,shares"] " %)")
		sched_row("share error, Table 3 200/200/50/50", sv["hvcore,share_table3,err_pp"], "%19.2f pp", "<= 1 pp",
			  sv["hvcore,share_table3,shares"] == "" ? "" : "  (" sv["hvcore,share_table3,shares"] " %)")
		sched_row("cap 30 % overshoot", sv["hvcore,cap30,over_pp"], "%+19.2f pp", "<= 0.5 pp",
			  sv["hvcore,cap30,pct"] == "" ? "" : sprintf("  (%.2f %% of the LP)", sv["hvcore,cap30,pct"]))
		sched_row("hypervisor run time, default slice", sv["hvcore,hvtime,pct"], "%20.3f %%", "<= 2 %", "")
		printf "HVBENCH-TABLE   wake-to-run, idle LP (median / mean):\n"
		wake("hvcore", "wake_boost_off", "hvcore, I/O boost off", "<= " kvm)
		wake("hvcore", "wake_boost_on", "hvcore, I/O boost on", "<= " kvm)
		wake("kvm", "wake", kvm ", in-kernel irqchip", "reference")
	}' "$RESULTS"
	echo "ok 1 table"
}

case $1 in
floor) step_floor ;;
hvcore) step_hvcore ;;
kvm) step_kvm ;;
ref) step_ref ;;
table) step_table ;;
*) echo "usage: bench.sh floor|hvcore|kvm|ref|table" >&2; exit 2 ;;
esac
