# SPDX-License-Identifier: GPL-2.0-or-later
# btrfs snapshots (qemu-btrfs_snapshot_boot). Disk "snap": Ubuntu's and Arch's layout with
# snapper: the default subvolume is the top level, the system is the subvolume "@" (its grub.cfg
# with paths from the top level and no rootflags=), "@/.snapshots/N/snapshot" are read-only
# snapshots of it taken as its kernel and command line (/etc/default/grub) changed: 1 and 2 with
# snapper's info.xml, 3 without one (dated by its subvolume's creation time). Disk "def": the
# default subvolume is "@" (set-default), and another system is in the subvolume "sys2" (a name
# kexec-loader does not know) with paths from the top level.
# disk: snap 200
# disk: def 160
: "${SNAP_UUID:=5b1f0c2e-8d3a-4c6b-9e7f-0a1b2c3d4e5f}"
: "${DEF_UUID:=6c2e1d3f-9a4b-4d5c-8e6f-1a2b3c4d5e6f}"
ARGS="console=ttyS0,115200 quiet panic=-1"

mkfs.btrfs -q -f -L KLSNAP -U "$SNAP_UUID" "$(disk snap)"
mount -t btrfs "$(disk snap)" /mnt
root=/mnt/@
btrfs -q subvolume create "$root"
mkdir -p "$root/boot/grub" "$root/etc/default"
printf 'NAME="KL Linux"\nPRETTY_NAME="KL Linux"\n' >"$root/etc/os-release"
btrfs -q subvolume create "$root/.snapshots"

# state KVER ENTRY: the system's kernel, initrd, /etc/default/grub and grub.cfg
state() {
	rm -f "$root"/boot/vmlinuz-* "$root"/boot/initrd.img-*
	cp /payload/vmlinuz "$root/boot/vmlinuz-$1"
	cp /payload/initrd.img "$root/boot/initrd.img-$1"
	printf 'GRUB_CMDLINE_LINUX="%s entry=%s"\n' "$ARGS" "$2" >"$root/etc/default/grub"
	{
		printf 'search --no-floppy --fs-uuid --set=root %s\n' "$SNAP_UUID"
		printf "menuentry 'KL Linux' {\n"
		printf '  linux /@/boot/vmlinuz-%s root=UUID=%s %s entry=%s\n' "$1" "$SNAP_UUID" \
			"$ARGS" "$2"
		printf '  initrd /@/boot/initrd.img-%s\n}\n' "$1"
	} >"$root/boot/grub/grub.cfg"
}

# snapshot NUM KVER DATE: snapper's snapshot NUM of the system in the state KVER
snapshot() {
	state "$2" "snap$1"
	mkdir "$root/.snapshots/$1"
	printf '<?xml version="1.0"?>\n<snapshot>\n  <type>single</type>\n  <num>%s</num>\n' "$1" \
		>"$root/.snapshots/$1/info.xml"
	printf '  <date>%s</date>\n  <description>kernel %s</description>\n' "$3" "$2" \
		>>"$root/.snapshots/$1/info.xml"
	printf '  <cleanup>number</cleanup>\n</snapshot>\n' >>"$root/.snapshots/$1/info.xml"
	btrfs -q subvolume snapshot -r "$root" "$root/.snapshots/$1/snapshot"
}

snapshot 1 6.1.0-old "2026-01-10 08:00:00"
snapshot 2 6.1.0-new "2026-02-20 09:30:00"
state 6.1.0-plain plain
mkdir "$root/.snapshots/3"
btrfs -q subvolume snapshot -r "$root" "$root/.snapshots/3/snapshot"
state 6.1.0-cur current
btrfs subvolume list /mnt
umount /mnt

mkfs.btrfs -q -f -L KLDEF -U "$DEF_UUID" "$(disk def)"
mount -t btrfs "$(disk def)" /mnt
for sub in @ sys2; do
	if [ "$sub" = @ ]; then title="Default Linux" paths=""; else title="Second Linux" paths=/sys2; fi
	btrfs -q subvolume create "/mnt/$sub"
	mkdir -p "/mnt/$sub/boot/grub" "/mnt/$sub/etc"
	cp /payload/vmlinuz "/mnt/$sub/boot/vmlinuz"
	cp /payload/initrd.img "/mnt/$sub/boot/stage2.img"
	{
		printf "menuentry '%s' {\n" "$title"
		printf '  linux %s/boot/vmlinuz root=UUID=%s %s entry=%s\n' "$paths" "$DEF_UUID" \
			"$ARGS" "$sub"
		printf '  initrd %s/boot/stage2.img\n}\n' "$paths"
	} >"/mnt/$sub/boot/grub/grub.cfg"
done
btrfs -q subvolume set-default /mnt/@
btrfs subvolume get-default /mnt
umount /mnt
