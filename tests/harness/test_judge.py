#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of judge.py: a broken test, a dead host or a kernel warning
must each turn the verdict into a failure. Run by `make check-unit`."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import judge  # noqa: E402

GOOD_TAP = """TAP version 13
1..3
# Starting 3 tests from 1 test cases.
#  RUN           hv.load_unload ...
#            OK  hv.load_unload
ok 1 hv.load_unload
ok 2 hv.double_load
ok 3 hv.lp_hotplug # SKIP needs a second CPU
# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:1 error:0"""

DMESG_OK = """[    0.000000] Linux version 6.12.117+deb12-amd64
[    0.100000] Speculative Return Stack Overflow: WARNING: See https://kernel.org/doc/html/latest/admin-guide/hw-vuln/srso.html for mitigation options.
[    5.000000] hvcore: svm enabled on 2 logical processors"""


def boot(tests, dmesg=DMESG_OK, done=True):
    """A serial log as tests/harness/init prints it."""
    out = ["SeaBIOS noise", "Booting from ROM..\x1bc\x1b[?7lHVTEST-BOOTED 6.12.117+deb12-amd64 suite=full cpus=2"]
    for name, tap, rc in tests:
        out.append(f"HVTEST-BEGIN {name}")
        out += tap.split("\n")
        if rc is not None:
            out.append(f"HVTEST-END {name} rc={rc}")
    if done:
        out += ["HVTEST-DMESG-BEGIN"] + dmesg.split("\n") + ["HVTEST-DMESG-END", "HVTEST-DONE"]
    return "\r\n".join(out) + "\r\n"


def statuses(results):
    return [(r.name, r.status) for r in results]


class JudgeTest(unittest.TestCase):
    def test_all_pass(self):
        res = judge.judge_log("svm/6.12", boot([("load_test", GOOD_TAP, 0)]), ["load_test"])
        self.assertEqual(statuses(res), [
            ("load_test: hv.load_unload", "PASS"),
            ("load_test: hv.double_load", "PASS"),
            ("load_test: hv.lp_hotplug", "SKIP"),
            ("kernel log", "PASS"),
        ])
        self.assertEqual(judge.summary(res), "3 passed, 0 failed, 1 skipped")

    def test_broken_assertion_fails(self):
        tap = GOOD_TAP.replace("ok 2 hv.double_load", "not ok 2 hv.double_load")
        res = judge.judge_log("svm/6.12", boot([("load_test", tap, 1)]), ["load_test"])
        self.assertIn(("load_test: hv.double_load", "FAIL"), statuses(res))
        self.assertEqual(judge.summary(res), "2 passed, 1 failed, 1 skipped")

    def test_failure_says_where(self):
        tap = GOOD_TAP.replace("ok 2 hv.double_load", "# load_test.c:380:lp_hotplug:Expected 0 (0) == "
                               "write_str(online, \"1\") (-5)\nnot ok 2 hv.double_load")
        res = judge.judge_log("svm/6.12", boot([("load_test", tap, 1)]), ["load_test"])
        why = [r.detail for r in res if r.status == "FAIL"][0]
        self.assertIn("load_test.c:380", why)
        self.assertIn("(-5)", why)

    def test_missing_results_fail(self):
        tap = GOOD_TAP.replace("ok 3 hv.lp_hotplug # SKIP needs a second CPU\n", "")
        res = judge.judge_log("svm/6.12", boot([("load_test", tap, 0)]), ["load_test"])
        self.assertIn(("load_test: test 3", "FAIL"), statuses(res))

    def test_unfinished_test_fails(self):
        tap = "TAP version 13\n1..2\nok 1 hv.a"
        res = judge.judge_log("vmx/6.1", boot([("load_test", tap, None)], done=False), ["load_test"])
        st = statuses(res)
        self.assertIn(("load_test: test 2", "FAIL"), st)
        self.assertIn(("load_test", "FAIL"), st)
        self.assertIn(("kernel log", "FAIL"), st)

    def test_nonzero_exit_without_failure_fails(self):
        res = judge.judge_log("svm/6.12", boot([("load_test", GOOD_TAP, 139)]), ["load_test"])
        self.assertIn(("load_test", "FAIL"), statuses(res))

    def test_tap_descriptions(self):
        tap = "1..3\nok 1 - dash separated\nok 2 --help prints usage\nnot ok 3 x # TODO later\n"
        res = judge.judge_log("svm/6.12", boot([("t", tap, 0)]), ["t"])
        self.assertEqual(statuses(res)[:3], [("t: dash separated", "PASS"),
                                             ("t: --help prints usage", "PASS"),
                                             ("t: x", "PASS")])

    def test_skip_exit_status_is_fine(self):
        tap = "TAP version 13\n1..1\nok 1 hv.x # SKIP no\n"
        res = judge.judge_log("svm/6.12", boot([("t", tap, 4)]), ["t"])
        self.assertEqual(statuses(res), [("t: hv.x", "SKIP"), ("kernel log", "PASS")])

    def test_no_tap_fails(self):
        res = judge.judge_log("svm/6.12", boot([("t", "segfault", 0)]), ["t"])
        self.assertIn(("t", "FAIL"), statuses(res))

    def test_test_never_started_fails(self):
        res = judge.judge_log("svm/6.12", boot([("load_test", GOOD_TAP, 0)]),
                              ["load_test", "hvctl_test"])
        self.assertIn(("hvctl_test", "FAIL"), statuses(res))

    def test_no_boot_fails(self):
        res = judge.judge_log("svm/6.12", "SeaBIOS\nBooting from ROM..\n", ["load_test"])
        self.assertEqual(statuses(res), [("boot", "FAIL")])

    def test_kernel_warnings_fail(self):
        for line in ("WARNING: CPU: 1 PID: 77 at kernel/cpu.c:100 foo+0x1/0x2",
                     "BUG: unable to handle page fault for address: 0000",
                     "------------[ cut here ]------------",
                     "Oops: general protection fault, probably for non-canonical address",
                     "watchdog: BUG: soft lockup - CPU#0 stuck for 22s!",
                     "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                     "kmemleak: 2 new suspected memory leaks",
                     "INFO: task insmod:80 blocked for more than 120 seconds."):
            with self.subTest(line=line):
                log = boot([("load_test", GOOD_TAP, 0)], dmesg=DMESG_OK + "\n[ 9.0] " + line)
                res = judge.judge_log("svm/6.12", log, ["load_test"])
                self.assertIn(("kernel log", "FAIL"), statuses(res))

    def test_known_emulator_splat(self):
        def splat(warn, extra=""):
            return ("\n[ 1.60] ------------[ cut here ]------------"
                    "\n[ 1.60] XSAVE consistency problem: size 2432 != kernel_size 2688"
                    f"\n[ 1.61] {warn}\n[ 1.61] Modules linked in:{extra}"
                    "\n[ 1.61] Call Trace:\n[ 1.61]  <TASK>"
                    "\n[ 1.62] ---[ end trace 0000000000000000 ]---")
        xstate = ("WARNING: CPU: 0 PID: 0 at arch/x86/kernel/fpu/xstate.c:605 "
                  "fpu__init_system_xstate+0xc5e/0x10d0")
        cases = (  # label, warning, extra text in the splat, verdict
            ("vmx/6.12", xstate, "", "PASS"),
            ("svm/6.12", xstate, "", "FAIL"),           # not that host's quirk
            ("vmx/6.12", xstate.replace("PID: 0", "PID: 91"), "", "FAIL"),  # not at boot
            ("vmx/6.12", xstate, " hvcore", "FAIL"),     # our module involved
            ("vmx/6.12", "WARNING: CPU: 0 PID: 0 at kernel/foo.c:1 foo+0x1/0x2", "", "FAIL"),
        )
        for label, warn, extra, want in cases:
            with self.subTest(label=label, warn=warn, extra=extra):
                log = boot([("load_test", GOOD_TAP, 0)], dmesg=DMESG_OK + splat(warn, extra))
                res = judge.judge_log(label, log, ["load_test"])
                self.assertIn(("kernel log", want), statuses(res))
        # A forgiven splat does not hide a second, real one.
        log = boot([("load_test", GOOD_TAP, 0)],
                   dmesg=DMESG_OK + splat(xstate) + "\n[ 9.0] BUG: unable to handle page fault")
        self.assertIn(("kernel log", "FAIL"), statuses(judge.judge_log("vmx/6.1", log, ["load_test"])))

    def test_srso_notice_is_not_a_warning(self):
        self.assertEqual(judge.bad_kernel_lines(DMESG_OK.split("\n")), [])

    def test_panic_on_console_fails(self):
        log = boot([("load_test", GOOD_TAP + "\nKernel panic - not syncing: Fatal exception", None)],
                   done=False)
        res = judge.judge_log("svm/6.12", log, ["load_test"])
        self.assertIn(("kernel log", "FAIL"), statuses(res))

    def test_cli_exit_status(self):
        """The command itself exits non-zero on a failure and 0 on success."""
        with tempfile.TemporaryDirectory() as d:
            suite = os.path.join(d, "suite")
            with open(suite, "w", encoding="utf-8") as f:
                f.write("# comment\nload_test ./load_test\n")
            for tap, rc, want in ((GOOD_TAP, 0, 0),
                                  (GOOD_TAP.replace("ok 1", "not ok 1"), 1, 1)):
                log = os.path.join(d, "log")
                with open(log, "w", encoding="utf-8") as f:
                    f.write(boot([("load_test", tap, rc)]))
                p = subprocess.run([sys.executable, judge.__file__, "--run", "svm/6.12", log, suite],
                                   capture_output=True, text=True, check=False)
                self.assertEqual(p.returncode, want, p.stdout)
                self.assertRegex(p.stdout.strip().split("\n")[-1],
                                 r"^\d+ passed, \d+ failed, \d+ skipped$")



def run():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(JudgeTest)
    res = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(res.failures) + len(res.errors)
    print(f"{res.testsRun - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
