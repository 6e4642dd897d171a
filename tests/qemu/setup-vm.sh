#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The setup VM from the shell (tests/qemu/setupvm.py): runs SCRIPT on the Debian kernel with the
# host's cryptsetup, lvm2, mdadm and mkfs, the disk images attached as virtio disks
# (/dev/disk/by-id/virtio-SERIAL), and prints its output; exits with the script's status.
#   setup-vm.sh [--disk PATH[=SERIAL]]... [--file SRC=DEST]... SCRIPT
#   setup-vm.sh make RECIPE [NAME=VALUE]...   (tests/qemu/disks/RECIPE.sh, cached; prints the disks)
# $KL_QEMU_WORK is where it keeps its initramfs and the disks (default: build/tests/qemu-work).
case ${1-} in
make) ;;
*) set -- run "$@" ;;
esac
py=/usr/bin/python3 # the one with python3-pyte (tests/qemu/vm.py)
[ -x "$py" ] || py=python3
exec "$py" "$(dirname "$0")/setupvm.py" "$@"
