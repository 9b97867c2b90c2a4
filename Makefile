# SPDX-License-Identifier: GPL-2.0
#
# hvcore: build the modules like any out-of-tree module, build hvctl, and
# run the tests in emulated test hosts.
#
#   make [KDIR=/lib/modules/<release>/build]   modules + hvctl
#   make modules_install / install             (DESTDIR, PREFIX honoured)
#   make lint                                  checkpatch --strict + sparse
#   make check [HOST=svm|vmx] [KERNEL=6.12|6.1]
#   make check-unit                            host-only unit tests (judge, hvctl completion)
#   make demo                                  boot the SVM test host: Table 3, hvctl top,
#                                              counters
#   make bench [HOST=svm|vmx] [KERNEL=6.12|6.1]
#                                              hvcore vs kvm_amd (svm: QEMU) or kvm_intel
#                                              (vmx: Bochs) vs a bare world-switch loop

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
HVCACHE ?= $(CURDIR)/.cache
export HVCACHE

all: modules hvctl

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

hvctl:
	$(MAKE) -C tools/hvctl

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

install: modules_install
	$(MAKE) -C tools/hvctl install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

# Not Kbuild's "clean": with M= at the top it deletes every *.ko and
# modules.order below, including the Debian kernels extracted in .cache/.
clean:
	find kernel \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name modules.order \) -type f -delete
	rm -f Module.symvers modules.order .*.cmd
	$(MAKE) -C tools/hvctl clean
	$(MAKE) -C selftests/hvcore clean

provision:
	tests/harness/provision.sh

lint:
	tests/harness/lint.sh

check:
	tests/harness/check.sh

check-unit:
	python3 tests/harness/test_judge.py
	bash tests/hvctl_completion.sh

demo:
	HOST=svm KERNEL=6.12 SUITE=demo tests/harness/check.sh

# Benchmarks print ratios, never verdicts on time (Documentation/performance.rst).
bench:
	SUITE=bench tests/harness/check.sh

.PHONY: all modules hvctl modules_install install clean provision lint check check-unit demo bench
