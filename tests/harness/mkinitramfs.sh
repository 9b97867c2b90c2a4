#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test host's initramfs: busybox, our init, hvcore.ko built for
# this kernel, the Debian modules the tests need (kvm and friends, msr),
# hvctl and the selftests.
#
#   mkinitramfs.sh --abi ABI --kdir-images DIR --modules DIR --tools DIR --out FILE
#
# --kdir-images: the extracted linux-image package (has lib/modules/ABI/)
# --modules:     folder holding our .ko files for ABI
# --tools:       folder holding hvctl and the selftest programs/scripts
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
abi= images= mods= tools= out=
while [ $# -gt 0 ]; do
	case $1 in
	--abi) abi=$2; shift 2 ;;
	--kdir-images) images=$2; shift 2 ;;
	--modules) mods=$2; shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "mkinitramfs: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$abi" ] && [ -n "$images" ] && [ -n "$mods" ] && [ -n "$tools" ] && [ -n "$out" ] ||
	{ echo "mkinitramfs: missing arguments" >&2; exit 2; }

moddir=$images/lib/modules/$abi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,usr/bin,usr/sbin,lib/hvtest/modules,lib/hvtest/tests,lib/hvtest/suites}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
cp "$here"/suites/* "$root/lib/hvtest/suites/"
cp "$mods"/*.ko "$root/lib/hvtest/modules/"
cp -a "$tools"/. "$root/lib/hvtest/tests/"
mv "$root/lib/hvtest/tests/hvctl" "$root/usr/sbin/hvctl"

# Shared libraries of the dynamically linked programs (hvctl), at the
# paths the loader expects.
for prog in "$root/usr/sbin/hvctl"; do
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done

# Debian module file (any compression) -> plain .ko in the initramfs.
find_mod() {
	find "$moddir/kernel" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" | head -n1
}

put_mod() {
	local name=$1 f dst
	f=$(find_mod "$name")
	[ -n "$f" ] || { echo "mkinitramfs: module $name not in $moddir" >&2; exit 1; }
	dst=$root/lib/hvtest/modules/$name.ko
	case $f in
	*.xz) xz -dc "$f" >"$dst" ;;
	*.zst) zstd -qdc "$f" >"$dst" ;;
	*) cp "$f" "$dst" ;;
	esac
}

# Dependencies first, each once: the load order for insmod.
order=()
resolve() {
	local name=${1//_/-} f dep
	for seen in "${order[@]+"${order[@]}"}"; do [ "$seen" = "$name" ] && return; done
	f=$(find_mod "$name")
	[ -n "$f" ] || f=$(find_mod "${name//-/_}")
	[ -n "$f" ] || { echo "mkinitramfs: module $name not in $moddir" >&2; exit 1; }
	for dep in $(/sbin/modinfo -F depends "$f" | tr ',' ' '); do
		resolve "$dep"
	done
	order+=("$(basename "${f%%.ko*}")")
}

for top in kvm-amd kvm-intel msr; do
	order=()
	resolve "$top"
	: >"$root/lib/hvtest/modules/$top.order"
	for m in "${order[@]}"; do
		put_mod "$m"
		echo "$m" >>"$root/lib/hvtest/modules/$top.order"
	done
done

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$out"
