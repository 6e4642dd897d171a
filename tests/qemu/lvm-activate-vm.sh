#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs tests/unit/test-lvm-activate inside QEMU on the Debian kernel (initramfs/get-kernel), where
# device-mapper exists: the part a host without dm skips (the VG made by lvm on a loop device,
# the read-only activation, the mount, the deactivation, backend_scan_devices() listing the LV,
# the unchanged sha256; LVM inside LUKS). The initramfs is made here: the test, the host's lvm,
# cryptsetup, losetup, mkfs.ext4 and coreutils with their libraries, and the modules dm-mod,
# dm-crypt, loop, ext4, xts and the AF_ALG interfaces libcryptsetup uses. Prints the test's
# TAP output; exit 0 when it passed, 77 when a tool is missing.
# Usage: lvm-activate-vm.sh TEST-BINARY [WORKDIR]
set -eu
test_bin=$1
work=${2:-$(mktemp -d /tmp/kl-lvm-vm-XXXXXX)}
repo=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "1..0 # SKIP $*"; exit 77; }
for t in qemu-system-x86_64 lvm losetup mkfs.ext4 cpio modprobe; do
	command -v "$t" >/dev/null || skip "$t is missing"
done
eval "$("$repo/initramfs/get-kernel")" || skip "no Debian kernel (initramfs/get-kernel failed)"
root=$work/root
rm -rf "$root" "$work/kroot"
mkdir -p "$root"/{bin,dev,proc,sys,run,tmp,mods,usr} "$work/kroot/lib/modules"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"
ln -s "$MODULES" "$work/kroot/lib/modules/$KVER"
i=0
for m in dm_mod dm_crypt loop ext4 xts algif_skcipher algif_hash af_alg; do
	modprobe -C /dev/null -d "$work/kroot" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	i=$((i + 1))
	out=$root/mods/$(printf %02d "$i")-$(basename "${ko%.*}")
	case $ko in
	*.xz) xz -dc "$ko" >"$out.ko" ;;
	*.zst) zstd -qdc "$ko" >"$out.ko" ;;
	*) cp "$ko" "$out.ko" ;;
	esac
done
bins="sh lvm cryptsetup losetup mkfs.ext4 sha256sum insmod mkdir mount umount cat cut truncate echo ls
      printf cp rm poweroff sed grep"
for b in $bins; do
	p=$(type -P "$b") || skip "$b is missing"
	cp -L "$p" "$root/bin/"
done
cp -L "$test_bin" "$root/bin/test-lvm-activate"
for b in "$root"/bin/*; do
	ldd "$b" 2>/dev/null | awk '/\// {print $(NF-1)}' | grep '^/' || true
done | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
cat >"$root/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp; mount -t tmpfs run /run
for m in /mods/*.ko; do insmod "$m" 2>/dev/null || echo "# insmod $m failed"; done
echo "=== TAP"
/bin/test-lvm-activate
echo "=== rc=$?"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initrd.img"
timeout 600 qemu-system-x86_64 -m 1024 -cpu max -nographic -nic none -no-reboot \
	-kernel "$VMLINUZ" -initrd "$work/initrd.img" \
	-append "console=ttyS0 panic=-1 quiet" </dev/null >"$work/serial.log" 2>&1 || true
tr -d '\r' <"$work/serial.log" | sed -n '/=== TAP/,/=== rc=/p' | sed '1d;$d'
grep -q '^=== rc=0' <(tr -d '\r' <"$work/serial.log")
