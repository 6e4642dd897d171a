#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs tests/unit/test-lvm-activate inside QEMU on the Debian kernel (tests/qemu/unit-vm.sh),
# where device-mapper exists: the part a host without dm skips (the VG made by lvm on a loop
# device, the read-only activation, the mount, the deactivation, backend_scan_devices() listing
# the LV, the unchanged sha256; LVM inside LUKS). The VM has the host's lvm, cryptsetup, losetup,
# mkfs.ext4 and coreutils, and the modules dm-mod, dm-crypt, loop, ext4, xts and the AF_ALG
# interfaces libcryptsetup uses. Exit 0 when it passed, 77 when a tool is missing.
# Usage: lvm-activate-vm.sh TEST-BINARY [WORKDIR]
set -eu
exec "$(dirname "$0")/unit-vm.sh" "$1" "${2:-$(mktemp -d /tmp/kl-lvm-vm-XXXXXX)}" \
	-m dm_mod -m dm_crypt -m loop -m ext4 -m xts -m algif_skcipher -m algif_hash -m af_alg \
	-b lvm -b cryptsetup -b losetup -b mkfs.ext4 -b sha256sum -b umount -b cat -b cut \
	-b truncate -b echo -b ls -b printf -b cp -b rm -b sed -b grep
