#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Provision everything the test hosts need on a Debian 12 machine, caching
# in $HVCACHE (default .cache/ at the top of the tree):
#   - Debian packages (apt-get install, once);
#   - the kernel ABIs behind the 6.12 and 6.1 metapackages, their headers
#     (installed) and images (downloaded and extracted, never installed);
#   - kselftest headers and checkpatch from linux-source-6.12.
# Prints nothing but progress lines; safe to run again (all steps cached).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${HVCACHE:-$top/.cache}
mkdir -p "$cache"

log() { echo "provision: $*" >&2; }

PKGS=(qemu-system-x86 bochs bochsbios vgabios bochs-term isolinux
      syslinux-common genisoimage busybox-static libnuma-dev sparse cpio
      xz-utils zstd lz4 linux-source-6.12 python3)

apt_ready() {
	[ -f "$cache/apt-updated" ] && return
	log "apt-get update"
	apt-get update -qq >/dev/null
	touch "$cache/apt-updated"
}

need_pkgs() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	apt_ready
	log "apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# The ABI a metapackage currently points at, e.g. 6.12.117+deb12-amd64.
resolve_abi() {
	local meta=$1 file=$cache/abi-$2
	if [ ! -s "$file" ]; then
		apt_ready
		apt-cache depends "$meta" | sed -n 's/^ *Depends: linux-image-\(.*-amd64\)$/\1/p' |
			head -n1 >"$file.tmp"
		[ -s "$file.tmp" ] || { log "cannot resolve the ABI of $meta"; exit 1; }
		mv "$file.tmp" "$file"
	fi
	cat "$file"
}

# The image package is kept in $cache/debs so that a damaged extraction
# (a stray "make clean" with M= at the top deletes *.ko below it) is
# repaired without the network; the check looks at the files themselves.
fetch_image() {
	local abi=$1
	local dir=$cache/kernels/$abi debs=$cache/debs
	local mods=$dir/lib/modules/$abi/kernel/arch/x86/kvm

	if [ -f "$dir/boot/vmlinuz-$abi" ] && ls "$mods"/kvm-amd.ko* >/dev/null 2>&1 &&
	   ls "$mods"/kvm-intel.ko* >/dev/null 2>&1; then
		return
	fi
	mkdir -p "$debs"
	if ! ls "$debs"/linux-image-"$abi"-unsigned_*.deb >/dev/null 2>&1; then
		log "downloading linux-image-$abi-unsigned"
		apt_ready
		(cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root \
			"linux-image-$abi-unsigned" >/dev/null)
	fi
	log "extracting linux-image-$abi-unsigned"
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$debs"/linux-image-"$abi"-unsigned_*.deb "$dir"
}

fetch_linux_source() {
	local dir=$cache/linux-src
	[ -f "$dir/.done" ] && return
	log "extracting kselftest headers and checkpatch from linux-source-6.12"
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$dir" --strip-components=1 \
		--wildcards '*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch "$dir/.done"
}

need_pkgs "${PKGS[@]}"
abi612=$(resolve_abi linux-image-6.12-amd64 6.12)
abi61=$(resolve_abi linux-image-amd64 6.1)
need_pkgs "linux-headers-$abi612" "linux-headers-$abi61"
fetch_image "$abi612"
fetch_image "$abi61"
fetch_linux_source
log "ready: 6.12=$abi612 6.1=$abi61"
