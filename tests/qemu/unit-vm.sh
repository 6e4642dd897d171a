#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unit-vm.sh: runs a unit test (tests/unit/test-*) inside QEMU on the Debian kernel
# (initramfs/get-kernel), for the part a host without device-mapper skips. The initramfs
# (tests/qemu/mkvminitrd) holds the test, the tools and modules named (mkvminitrd's -b and -m:
# with their libraries, and the modules' dependencies) and an init that mounts the API
# filesystems, loads the modules, runs the test and powers off. Prints the test's TAP output;
# exit 0 when it passed, 77 when a tool, the kernel or a module is missing.
# Usage: unit-vm.sh TEST-BINARY WORKDIR [-m MODULE]... [-b TOOL]...
set -eu
test_bin=$1
work=$2
shift 2
repo=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "1..0 # SKIP $*"; exit 77; }
for t in qemu-system-x86_64 cpio modprobe; do
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
/bin/unit-test
echo "=== rc=$?"
poweroff -f
INIT
rc=0
"$repo/tests/qemu/mkvminitrd" -o "$work/initrd.img" -i "$work/init" -f "$test_bin=/bin/unit-test" \
	-b sh -b insmod -b mkdir -b mount -b poweroff "$@" || rc=$?
[ $rc -ne 77 ] || skip "a tool, the kernel or a module is missing (see above)"
[ $rc -eq 0 ] || exit $rc
timeout 600 qemu-system-x86_64 -m 1024 -cpu max -nographic -nic none -no-reboot \
	-kernel "$VMLINUZ" -initrd "$work/initrd.img" \
	-append "console=ttyS0 panic=-1 quiet" </dev/null >"$work/serial.log" 2>&1 || true
tr -d '\r' <"$work/serial.log" | sed -n '/=== TAP/,/=== rc=/p' | sed '1d;$d'
grep -q '^=== rc=0' <(tr -d '\r' <"$work/serial.log")
