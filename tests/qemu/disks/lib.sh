# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the disk recipes (tests/qemu/disks/*.sh, run in the setup VM, tests/qemu/setupvm.py):
# the second stage put on a /boot as a distribution puts its kernel there.

KVER=6.1.0-kl # the names the files get: vmlinuz-$KVER, initrd.img-$KVER

# disk SERIAL: the device node of the disk the recipe declared as "# disk: SERIAL SIZE_MB".
disk() {
	readlink -f "/dev/disk/by-id/virtio-$1"
}

# gpt DISK TYPE-GUID NAME: one partition over the whole disk (from 1 MiB); prints its node.
gpt() {
	printf 'label: gpt\nstart=2048, type=%s, name="%s"\n' "$2" "$3" | sfdisk -q "$1"
	blockdev --rereadpt "$1"
	echo "${1}1"
}

# boot_files DIR PREFIX FS-UUID ENTRY TITLE [GRUB-MODULES]: the second stage's kernel and initrd
# in DIR as vmlinuz-$KVER and initrd.img-$KVER and DIR/grub/grub.cfg with one menuentry, as
# grub-mkconfig writes it: it finds its root by the filesystem's UUID and names the files by
# PREFIX ("" on a /boot filesystem of its own, "/boot" on a root filesystem). The second stage
# prints its command line; entry=ENTRY tells the test which entry booted. $GRUB_EXTRA, when set,
# is a line put before the search (cryptomount).
boot_files() {
	mkdir -p "$1/grub"
	cp /payload/vmlinuz "$1/vmlinuz-$KVER"
	cp /payload/initrd.img "$1/initrd.img-$KVER"
	{
		printf 'set default=0\nset timeout=5\n\n'
		printf "menuentry '%s' --class gnu-linux --class os {\n" "$5"
		for m in ${6-} ext2; do printf '\tinsmod %s\n' "$m"; done
		[ -z "${GRUB_EXTRA-}" ] || printf '\t%s\n' "$GRUB_EXTRA"
		printf '\tsearch --no-floppy --fs-uuid --set=root %s\n' "$3"
		printf '\techo "Loading Linux %s ..."\n' "$KVER"
		printf '\tlinux %s/vmlinuz-%s root=UUID=%s ro console=ttyS0,115200 quiet panic=-1 entry=%s\n' \
			"$2" "$KVER" "$3" "$4"
		printf '\tinitrd %s/initrd.img-%s\n}\n' "$2" "$KVER"
	} >"$1/grub/grub.cfg"
}

# boot_fs DEV FS-UUID ENTRY TITLE [GRUB-MODULES]: an ext4 /boot filesystem (label "boot") on DEV
# with boot_files in it.
boot_fs() {
	mkfs.ext4 -q -F -L boot -U "$2" "$1"
	mount -t ext4 "$1" /mnt
	boot_files /mnt "" "$2" "$3" "$4" "${5-}"
	umount /mnt
}
