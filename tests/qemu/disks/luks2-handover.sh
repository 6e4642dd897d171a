# SPDX-License-Identifier: GPL-2.0-or-later
# The LUKS key hand-over (issue 12): a root filesystem inside LUKS2 (PASSPHRASE), its /boot
# holding the second stage four times, as a dracut system's, a Debian (initramfs-tools) system's
# and Arch (mkinitcpio, encrypt and sd-encrypt hooks) systems' initrds (/payload/initrd-*.img,
# made by the test), and a grub.cfg with an entry for each: the dracut one names the volume with
# rd.luks.uuid=, the Debian one only root=/dev/mapper/vda1_crypt (its initramfs's
# /cryptroot/crypttab names the volume), the Arch ones cryptdevice=UUID=…:cryptroot and
# rd.luks.name=…=cryptroot.
# argon2id made cheap (32 MiB, 4 iterations) so that unlocking under TCG takes seconds.
# disk: luks 96
: "${PASSPHRASE:=kexec-loader test}"
: "${LUKS_UUID:=5b4c3d2e-1f0a-4b9c-8d7e-6f5a4b3c2d1e}"
: "${ROOT_UUID:=0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b}"
part=$(gpt "$(disk luks)" 0FC63DAF-8483-4772-8E79-3D69D8477DE4 luks)
printf '%s' "$PASSPHRASE" | cryptsetup luksFormat -q --type luks2 --pbkdf argon2id \
	--pbkdf-memory 32768 --pbkdf-parallel 1 --pbkdf-force-iterations 4 \
	--uuid "$LUKS_UUID" --key-file - "$part"
printf '%s' "$PASSPHRASE" | cryptsetup open --key-file - "$part" setup-luks
mkfs.ext4 -q -L root -U "$ROOT_UUID" /dev/mapper/setup-luks
mount -t ext4 /dev/mapper/setup-luks /mnt
mkdir -p /mnt/boot/grub
cp /payload/vmlinuz /mnt/boot/vmlinuz
cp /payload/initrd-dracut.img /payload/initrd-itools.img /payload/initrd-mkinitcpio.img \
	/payload/initrd-sdencrypt.img /mnt/boot/
cat >/mnt/boot/grub/grub.cfg <<CFG
set default=0
set timeout=30

menuentry 'Fedora Linux (dracut)' --class fedora {
	search --no-floppy --fs-uuid --set=root $ROOT_UUID
	linux /boot/vmlinuz root=UUID=$ROOT_UUID rd.luks.uuid=luks-$LUKS_UUID ro console=ttyS0,115200 quiet panic=-1 entry=dracut
	initrd /boot/initrd-dracut.img
}
menuentry 'Debian GNU/Linux (initramfs-tools)' --class debian {
	search --no-floppy --fs-uuid --set=root $ROOT_UUID
	linux /boot/vmlinuz root=/dev/mapper/vda1_crypt ro console=ttyS0,115200 quiet panic=-1 entry=itools
	initrd /boot/initrd-itools.img
}
menuentry 'Arch Linux (mkinitcpio)' --class arch {
	search --no-floppy --fs-uuid --set=root $ROOT_UUID
	linux /boot/vmlinuz cryptdevice=UUID=$LUKS_UUID:cryptroot root=/dev/mapper/cryptroot rw console=ttyS0,115200 quiet panic=-1 entry=mkinitcpio
	initrd /boot/initrd-mkinitcpio.img
}
menuentry 'Arch Linux (sd-encrypt)' --class arch {
	search --no-floppy --fs-uuid --set=root $ROOT_UUID
	linux /boot/vmlinuz rd.luks.name=$LUKS_UUID=cryptroot root=/dev/mapper/cryptroot rw console=ttyS0,115200 quiet panic=-1 entry=sdencrypt
	initrd /boot/initrd-sdencrypt.img
}
CFG
umount /mnt
cryptsetup close setup-luks
cryptsetup luksDump "$part" | head -12
