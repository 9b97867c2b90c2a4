#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the test host: load hvcore, show what it sees, then
# run the demo guest (tools/hvctl/demo/hello.S) in a partition.

hello=./hello.bin

# step CMD ARGS...: show the command, run it, stop the demo if it fails.
step() {
	echo "# $*"
	"$@" && return 0
	rc=$?
	echo "not ok 1 demo # '$*' exited with status $rc"
	[ -d /sys/module/hvcore ] && rmmod hvcore
	exit 1
}

step insmod "$HVCORE_KO"
step hvctl features
step hvctl topology
if [ ! -f "$hello" ]; then
	echo "not ok 1 demo # $hello is missing: check.sh must copy tools/hvctl/demo/hello.bin"
	rmmod hvcore
	exit 1
fi
step hvctl create demo --memory 1M
step hvctl list
step hvctl run demo --start --image "$hello"
step hvctl show demo
step hvctl delete demo
step rmmod hvcore
echo "ok 1 demo"
