#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the test host: load hvcore and show what it sees.
set -e
echo "# insmod hvcore.ko"
insmod "$HVCORE_KO"
echo "# hvctl features"
hvctl features
echo "# hvctl topology"
hvctl topology
rmmod hvcore
echo "ok 1 demo"
