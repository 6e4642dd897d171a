#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs tests/unit/test-luks-unlock inside QEMU on the Debian kernel (initramfs/get-kernel), where
# device-mapper and dm-crypt exist: the part of the test a host without dm skips (the read-only
# mapping, the mount, luks_lock(), the unchanged sha256, backend_unlock() over a real mapping).
# The initramfs (tests/qemu/mkvminitrd) holds the test, the host's cryptsetup, losetup, mkfs.ext4
# and coreutils with their libraries, and the modules dm-mod, dm-crypt, loop, ext4, xts and the AF_ALG
# interfaces libcryptsetup uses. Prints the test's TAP output; exit 0 when it passed, 77 when a
# tool is missing. Usage: luks-unlock-vm.sh TEST-BINARY [WORKDIR]
set -eu
test_bin=$1
work=${2:-$(mktemp -d /tmp/kl-luks-vm-XXXXXX)}
repo=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "1..0 # SKIP $*"; exit 77; }
for t in qemu-system-x86_64 cryptsetup losetup mkfs.ext4 cpio modprobe; do
	command -v "$t" >/dev/null || skip "$t is missing"
done
eval "$("$repo/initramfs/get-kernel")" || skip "no Debian kernel (initramfs/get-kernel failed)"
mkdir -p "$work"
cat >"$work/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp; mount -t tmpfs run /run
for m in /mods/*.ko; do insmod "$m" 2>/dev/null || echo "# insmod $m failed"; done
echo "=== TAP"
/bin/test-luks-unlock
echo "=== rc=$?"
poweroff -f
INIT
rc=0
"$repo/tests/qemu/mkvminitrd" -o "$work/initrd.img" -i "$work/init" -f "$test_bin=/bin/test-luks-unlock" \
	-m dm_mod -m dm_crypt -m loop -m ext4 -m xts -m algif_skcipher -m algif_hash -m af_alg \
	-b sh -b cryptsetup -b losetup -b mkfs.ext4 -b sha256sum -b insmod -b mkdir -b mount -b umount \
	-b cat -b cut -b truncate -b echo -b ls -b printf -b cp -b rm -b poweroff || rc=$?
[ $rc -ne 77 ] || skip "a tool, the kernel or a module is missing (see above)"
[ $rc -eq 0 ] || exit $rc
timeout 600 qemu-system-x86_64 -m 1024 -cpu max -nographic -nic none -no-reboot \
	-kernel "$VMLINUZ" -initrd "$work/initrd.img" \
	-append "console=ttyS0 panic=-1 quiet" </dev/null >"$work/serial.log" 2>&1 || true
tr -d '\r' <"$work/serial.log" | sed -n '/=== TAP/,/=== rc=/p' | sed '1d;$d'
grep -q '^=== rc=0' <(tr -d '\r' <"$work/serial.log")
