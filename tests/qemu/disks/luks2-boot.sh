# SPDX-License-Identifier: GPL-2.0-or-later
# /boot inside LUKS, as openSUSE and the Calamares distributions make it: one GPT partition holds
# a LUKS2 volume (PASSPHRASE; LUKS_TYPE=luks1 for LUKS1) with an ext4 root filesystem whose /boot
# directory holds the second stage and /boot/grub/grub.cfg (lib.sh). The key derivation is
# argon2id made cheap (32 MiB, 4 iterations) so that unlocking under TCG takes seconds.
# disk: luks 96
: "${PASSPHRASE:=kexec-loader test}"
: "${LUKS_TYPE:=luks2}"
: "${LUKS_UUID:=2505567a-9e27-4efe-a4d5-15ad146c258b}"
: "${ROOT_UUID:=7d1e3f5a-9b2c-4d6e-8f10-2a4c6e8a0b1d}"
: "${ENTRY:=luks}"
part=$(gpt "$(disk luks)" 0FC63DAF-8483-4772-8E79-3D69D8477DE4 luks)
if [ "$LUKS_TYPE" = luks1 ]; then
	kdf="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
else
	kdf="--pbkdf argon2id --pbkdf-memory 32768 --pbkdf-parallel 1 --pbkdf-force-iterations 4"
fi
# shellcheck disable=SC2086
printf '%s' "$PASSPHRASE" | cryptsetup luksFormat -q --type "$LUKS_TYPE" $kdf \
	--uuid "$LUKS_UUID" --key-file - "$part"
printf '%s' "$PASSPHRASE" | cryptsetup open --key-file - "$part" setup-luks
mkfs.ext4 -q -L root -U "$ROOT_UUID" /dev/mapper/setup-luks
mount -t ext4 /dev/mapper/setup-luks /mnt
GRUB_EXTRA="cryptomount -u $(echo "$LUKS_UUID" | sed 's/-//g')"
boot_files /mnt/boot /boot "$ROOT_UUID" "$ENTRY" "openSUSE Tumbleweed (encrypted)" \
	"part_gpt cryptodisk luks2 gcry_rijndael gcry_sha256"
umount /mnt
cryptsetup close setup-luks
cryptsetup luksDump "$part" | head -20
