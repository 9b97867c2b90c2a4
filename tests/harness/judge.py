#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge test-host serial logs: TAP of every test, and the kernel log.

A log is what tests/harness/init printed on the serial console:

    HVTEST-BOOTED <kernel> ...
    HVTEST-BEGIN <name>        (TAP of one test program)
    HVTEST-END <name> rc=<status>
    HVTEST-DMESG-BEGIN         (the whole kernel log)
    HVTEST-DMESG-END
    HVTEST-DONE

Rules: every TAP result counts; a test that announced a plan of N results
but reported fewer, a test that never reached its END marker, a test in the
suite that never began, a non-zero exit with no failing result, and a host
that did not finish all count as failures. Any kernel warning marker in the
log fails the run, except the few boot-time splats an emulated CPU model is
known to cause (KNOWN_EMULATOR_SPLATS), which are reported instead. The last line printed is "N passed, N failed, N skipped";
the exit status is 1 if anything failed or nothing ran.

    judge.py --run LABEL LOG SUITE [--run ...]
"""
import argparse
import re
import sys
from dataclasses import dataclass

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"

# Real markers only: Debian's 6.12 prints "Speculative Return Stack
# Overflow: WARNING: ..." at boot on EPYC models, which is not a warning.
BAD_KERNEL_LINES = [re.compile(p) for p in (
    r"\bBUG:",
    r"kernel BUG at",
    r"WARNING: CPU:",
    r"-+\[ cut here \]-+",
    r"\bOops\b",
    r"general protection fault",
    r"\blockdep\b",
    r"possible (circular|recursive) locking",
    r"\bKASAN\b",
    r"\bkmemleak\b",
    r"rcu.*detected (expedited )?stalls?",
    r"RCU stall",
    r"soft lockup",
    r"hard LOCKUP",
    r"blocked for more than \d+ seconds",
    r"Kernel panic",
    r"Call Trace:",
    r"\bUBSAN:",
)]

# Boot-time warnings that an emulated CPU's inconsistent CPUID causes in
# Debian's kernels before any of our code runs, per test host. A splat is
# forgiven only whole, only on that host, only from the boot task (PID 0),
# and only if nothing in it mentions hvcore.
KNOWN_EMULATOR_SPLATS = {
    # Bochs corei7_skylake_x: CPUID 0xD reports an XSAVE size of 2432 bytes
    # where the kernel computes 2688 from the per-feature offsets.
    "vmx": [re.compile(r"WARNING: CPU: \d+ PID: 0 at arch/x86/kernel/fpu/xstate\.c:\d+ "
                       r"fpu__init_system_xstate\+"),
            # 6.12: Bochs's legacy topology leaves (CPUID 1/4) disagree.
            re.compile(r"WARNING: CPU: \d+ PID: 0 at arch/x86/kernel/cpu/topology_common\.c:\d+ "
                       r"parse_legacy\+")],
}
SPLAT_START = re.compile(r"-+\[ cut here \]-+")
SPLAT_END = re.compile(r"---\[ end trace [0-9a-f]+ \]---")

TAP_RESULT = re.compile(r"^(not ok|ok) (\d+)(?:\s+-\s+|\s+)?([^#]*?)\s*(?:#\s*(\w+)\b\s*(.*))?$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)")
TAP_DIAG = re.compile(r"^#\s+\S+\.c:\d+:")
BEGIN = re.compile(r"^HVTEST-BEGIN (\S+)")
END = re.compile(r"^HVTEST-END (\S+) rc=(\d+)")

KSFT_SKIP_RC = 4


@dataclass
class Result:
    label: str
    name: str
    status: str
    detail: str = ""


def suite_names(path):
    """Test names of a suite file: first word of each non-comment line."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                names.append(line.split()[0])
    return names


def judge_block(label, name, lines, rc, finished):
    """Results of one test program from its TAP lines and exit status."""
    out, plan, seen, diag = [], None, set(), []
    for line in lines:
        # kselftest's "# file.c:123:test:Expected ..." lines say why a test failed.
        if line.startswith("#  RUN"):
            diag = []
        elif TAP_DIAG.match(line):
            diag.append(line[1:].strip())
        m = TAP_PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = TAP_RESULT.match(line)
        if not m:
            continue
        verdict, num, desc, directive, reason = m.groups()
        num = int(num)
        if num in seen:
            continue
        seen.add(num)
        full = f"{name}: {desc or num}"
        directive = (directive or "").upper()
        if directive == "SKIP":
            out.append(Result(label, full, SKIP, reason))
        elif verdict == "ok" or directive in ("TODO", "XFAIL"):
            out.append(Result(label, full, PASS))
        else:
            why = reason or "assertion failed"
            if not reason and diag:
                why += ": " + " | ".join(diag[-3:])
            out.append(Result(label, full, FAIL, why))
    if plan is not None:
        for num in range(1, plan + 1):
            if num not in seen:
                out.append(Result(label, f"{name}: test {num}", FAIL,
                                  "never reported (crashed, hung or killed)"))
    if not finished:
        out.append(Result(label, name, FAIL,
                          "did not finish: the host died or the run timed out"))
    elif not out:
        out.append(Result(label, name, FAIL, f"printed no TAP results (rc={rc})"))
    elif rc not in (0, KSFT_SKIP_RC) and not any(r.status == FAIL for r in out):
        out.append(Result(label, name, FAIL, f"exit status {rc}"))
    return out


def bad_kernel_lines(lines):
    return [l for l in lines if any(p.search(l) for p in BAD_KERNEL_LINES)]


def drop_known_splats(lines, host):
    """The kernel log without the splats KNOWN_EMULATOR_SPLATS forgives on
    @host, and the WARNING lines of those it dropped."""
    allowed = KNOWN_EMULATOR_SPLATS.get(host, [])
    kept, dropped, i = [], [], 0
    while i < len(lines):
        if allowed and SPLAT_START.search(lines[i]):
            j = i + 1
            while j < len(lines) and not SPLAT_END.search(lines[j]):
                j += 1
            block = lines[i:j + 1]
            warn = [l for l in block if "WARNING: CPU:" in l]
            if (j < len(lines) and len(warn) == 1
                    and any(p.search(warn[0]) for p in allowed)
                    and not any("hvcore" in l for l in block)):
                dropped.append(warn[0].strip())
                i = j + 1
                continue
        kept.append(lines[i])
        i += 1
    return kept, dropped


def judge_log(label, text, expected):
    """All results of one test-host boot."""
    lines = text.replace("\r", "").split("\n")
    if not any("HVTEST-BOOTED" in l for l in lines):
        tail = " | ".join(l for l in lines[-5:] if l.strip())
        return [Result(label, "boot", FAIL, f"the test host never reached init; last: {tail}")]

    results, started = [], []
    cur, block, dmesg, in_dmesg, done = None, [], [], False, False
    console = []
    for line in lines:
        m_begin, m_end = BEGIN.match(line), END.match(line)
        if m_begin:
            if cur:
                results += judge_block(label, cur, block, None, False)
            cur, block = m_begin.group(1), []
            started.append(cur)
        elif m_end and cur == m_end.group(1):
            results += judge_block(label, cur, block, int(m_end.group(2)), True)
            cur = None
        elif line.startswith("HVTEST-DMESG-BEGIN"):
            in_dmesg = True
        elif line.startswith("HVTEST-DMESG-END"):
            in_dmesg = False
        elif line.startswith("HVTEST-DONE"):
            done = True
        elif in_dmesg:
            dmesg.append(line)
        elif cur:
            block.append(line)
            console.append(line)
        else:
            console.append(line)
    if cur:
        results += judge_block(label, cur, block, None, False)

    for name in expected:
        if name not in started:
            results.append(Result(label, name, FAIL, "never started"))

    dmesg, forgiven = drop_known_splats(dmesg, label.split("/")[0])
    bad = bad_kernel_lines(dmesg) + bad_kernel_lines(console)
    if bad:
        results.append(Result(label, "kernel log", FAIL,
                              "; ".join(b.strip() for b in bad[:5])))
    elif not dmesg or not done:
        results.append(Result(label, "kernel log", FAIL,
                              "no kernel log: the host did not finish the suite"))
    else:
        note = ("known emulator boot warnings allowed: " + "; ".join(forgiven)) if forgiven else ""
        results.append(Result(label, "kernel log", PASS, note))
    return results


def summary(results):
    n = {s: sum(1 for r in results if r.status == s) for s in (PASS, FAIL, SKIP)}
    return f"{n[PASS]} passed, {n[FAIL]} failed, {n[SKIP]} skipped"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", nargs=3, action="append", required=True,
                    metavar=("LABEL", "LOG", "SUITE"))
    args = ap.parse_args(argv)

    results = []
    for label, log, suite in args.run:
        try:
            with open(log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError as e:
            text = ""
            results.append(Result(label, "boot", FAIL, f"no serial log: {e}"))
            continue
        results += judge_log(label, text, suite_names(suite))

    for r in results:
        print(f"{r.status} {r.label:<10} {r.name}" + (f"  -- {r.detail}" if r.detail else ""))
    print(summary(results))
    failed = any(r.status == FAIL for r in results)
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
