# SPDX-License-Identifier: GPL-2.0-or-later
# LVM with /boot on a logical volume: one GPT partition of type "Linux LVM" is the physical volume
# of the volume group "kl-vg" (a "-" in the name, escaped as "--" in its dm names) with the
# logical volumes "boot" (ext4 /boot with the second stage, lib.sh) and "root" (ext4, empty).
# The group is deactivated at the end; no metadata backup or archive is kept (setupvm.py's
# lvm.conf).
# disk: lvm 96
: "${VG:=kl-vg}"
: "${BOOT_UUID:=5c9f3a1b-7d2e-4f60-8b1c-3e5d7f9a1b2c}"
: "${ENTRY:=lvm}"
pv=$(gpt "$(disk lvm)" E6D6D379-F507-44C2-A23C-238F2A3DF928 lvm)
lvm pvcreate -q "$pv"
lvm vgcreate -q "$VG" "$pv"
lvm lvcreate -q -y -n boot -L 40M "$VG"
lvm lvcreate -q -y -n root -l 100%FREE "$VG"
mkfs.ext4 -q -L root "/dev/mapper/$(echo "$VG" | sed 's/-/--/g')-root"
boot_fs "/dev/mapper/$(echo "$VG" | sed 's/-/--/g')-boot" "$BOOT_UUID" "$ENTRY" \
	"Debian GNU/Linux (LVM /boot)" "part_gpt lvm"
lvm lvs
lvm vgchange -q -an "$VG"
