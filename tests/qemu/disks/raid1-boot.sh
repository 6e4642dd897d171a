# SPDX-License-Identifier: GPL-2.0-or-later
# RAID1 with /boot on it, as Debian's installer makes it: each disk has one GPT partition of type
# "Linux RAID", the two are the members of a RAID1 array (md metadata 1.2, array name
# "kltest:boot") and the array holds an ext4 /boot with the second stage (lib.sh). The array is
# made clean (--assume-clean: both members are zeros) so that no resync runs, and stopped.
# disk: raid-a 64
# disk: raid-b 64
: "${ARRAY_UUID:=4a1e6b2c:9d3f5e71:0b8c2d4e:6f7a1b3c}"
: "${BOOT_UUID:=3b8e2f4a-6c1d-4e5f-9a7b-2d4c6e8f0a1b}"
: "${ENTRY:=raid1}"
a=$(gpt "$(disk raid-a)" A19D880F-05FC-4D3B-A006-743F0F84911E raid-a)
b=$(gpt "$(disk raid-b)" A19D880F-05FC-4D3B-A006-743F0F84911E raid-b)
mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 --assume-clean \
	--homehost=kltest --name=boot --uuid="$ARRAY_UUID" "$a" "$b"
boot_fs /dev/md0 "$BOOT_UUID" "$ENTRY" "Debian GNU/Linux (RAID1 /boot)" "part_gpt mdraid1x"
mdadm --detail /dev/md0
mdadm --stop /dev/md0
blkid "$a" "$b"
