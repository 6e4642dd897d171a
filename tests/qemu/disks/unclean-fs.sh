# SPDX-License-Identifier: GPL-2.0-or-later
# Every filesystem type the stick mounts that Linux writes, clean and unclean (qemu-unclean_fs).
# Each disk holds one filesystem (made by its own mkfs) with /boot/grub/grub.cfg (one entry,
# "TYPE clean" or "TYPE unclean", entry=SERIAL), written and unmounted cleanly; the second
# stage's kernel and initrd only on the first disk, btrfs unclean, whose entry the scenario boots
# (the others' entries are listed with their kernel missing). The unclean ones (serial ending in "u") are then mounted again, a file is
# written with fsync (ext3/ext4: a journal transaction; xfs: its log; btrfs: a log tree; f2fs:
# data to roll forward; ext2, vfat, exfat: the "not clean"/dirty state a read-write mount sets;
# udf: its integrity descriptor left open)
# and the VM is crashed (sysrq b) with them mounted: nothing is unmounted, nothing replayed.
# timeout: 1200
# disk: btrfsu 160
# disk: ext2 48
# disk: ext2u 48
# disk: ext3 48
# disk: ext3u 48
# disk: ext4 48
# disk: ext4u 48
# disk: xfs 320
# disk: xfsu 320
# disk: btrfs 160
# disk: f2fs 64
# disk: f2fsu 64
# disk: vfat 48
# disk: vfatu 48
# disk: exfat 48
# disk: exfatu 48
# disk: udf 48
# disk: udfu 48

# make TYPE SERIAL: the filesystem on the disk SERIAL, labelled KL-SERIAL
make() {
	dev=$(disk "$2")
	case $1 in
	ext2 | ext3 | ext4) mke2fs -q -F -t "$1" -L "KL-$2" "$dev" ;;
	xfs) mkfs.xfs -q -f -L "KL-$2" "$dev" ;;
	btrfs) mkfs.btrfs -q -f -L "KL-$2" "$dev" ;;
	f2fs) mkfs.f2fs -q -f -l "KL-$2" "$dev" ;;
	vfat) mkfs.vfat -n "KL-$2" "$dev" >/dev/null ;;
	exfat) mkfs.exfat -L "KL-$2" "$dev" >/dev/null ;;
	udf) mkudffs --label="KL-$2" "$dev" >/dev/null ;;
	esac
}

# fill TYPE SERIAL STATE: grub.cfg, kernel and initrd on it, unmounted cleanly
fill() {
	make "$1" "$2"
	mount -t "$1" "$(disk "$2")" /mnt
	mkdir -p /mnt/boot/grub
	if [ "$2" = btrfsu ]; then
		cp /payload/vmlinuz /mnt/boot/vmlinuz
		cp /payload/initrd.img /mnt/boot/stage2.img
	fi
	{
		printf "menuentry '%s %s' {\n" "$1" "$3"
		printf '\tlinux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 entry=%s\n' "$2"
		printf '\tinitrd /boot/stage2.img\n}\n'
	} >/mnt/boot/grub/grub.cfg
	umount /mnt
	echo "$1 $3: made"
}

for t in ext2 ext3 ext4 xfs btrfs f2fs vfat exfat udf; do
	fill "$t" "$t" clean
done
for t in btrfs ext2 ext3 ext4 xfs f2fs vfat exfat udf; do
	fill "$t" "${t}u" unclean
done

# Mounted again, a file written and fsync'ed on each unclean one, then the crash.
for t in btrfs ext2 ext3 ext4 xfs f2fs vfat exfat udf; do
	mkdir -p "/u/$t"
	mount -t "$t" "$(disk "${t}u")" "/u/$t"
	dd if=/dev/zero of="/u/$t/after-crash" bs=64k count=16 conv=fsync 2>/dev/null
	printf 'written after the clean unmount\n' >"/u/$t/note"
	dd if="/u/$t/note" of="/u/$t/note2" conv=fsync 2>/dev/null
	echo "$t unclean: written with fsync"
done
echo "mounted, written and fsync'ed; crashing"
echo "=== SETUPVM END rc=0"
# The marker is queued on the serial port; let it leave before the reset (a drain, not a wait for
# an event: nothing else is running).
sleep 1
echo b >/proc/sysrq-trigger
