#!/bin/sh
# Regenerates the Debian grub.cfg files of the corpus with Debian's own grub-mkconfig and
# /etc/grub.d templates (package grub-common; the corpus files were made with 2.06-13+deb12u2).
# Not run by the tests: the files are committed as generated. Needs grub-common and
# unshare(1) (user + mount namespaces); the host's files are never changed.
#
# grub-mkconfig asks grub-probe about the machine; in a private mount namespace a small
# stand-in answers for the pretend disks below, /boot holds the pretend kernels, and
# /etc/default/grub holds each variant's settings. Everything else is Debian's code.
#
#   sda1  ESP, vfat      UUID 3A1C-55D2
#   sda2  /, ext4        UUID 6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11   (variants "boot" and
#   sda3  /boot, ext4    UUID 0b7d1c5e-2a44-4f0e-8d6b-52a0c3f9e6a1    "lvm" put /boot here)
#
# Usage: generate.sh OUTDIR   (writes OUTDIR/*.cfg)
set -u
out=$(realpath "${1:?usage: generate.sh OUTDIR}")
here=$(dirname "$(realpath "$0")")

if [ "${KL_IN_NS:-}" != 1 ]; then
        KL_IN_NS=1 exec unshare -rm sh "$0" "$out"
fi

work=$(mktemp -d)
mount -t tmpfs none "$work"
mkdir -p "$work/boot" "$work/default" "$work/bin"

# The stand-in grub-probe: $variant decides what / and /boot are.
cat > "$work/bin/grub-probe" <<'PROBE'
#!/bin/sh
target= device= path=
while [ $# -gt 0 ]; do
        case "$1" in
        --target=*) target=${1#--target=} ;;
        -t) shift; target=$1 ;;
        --device) device=yes ;;
        -*) ;;
        *) path=$1 ;;
        esac
        shift
done
v=$(cat /tmp/kl-variant)
if [ -z "$device" ]; then
        case "$path" in
        /boot*) case "$v" in boot) path=/dev/sda3 ;; lvm) path=/dev/sda3 ;; *) path=/dev/sda2 ;; esac ;;
        *) case "$v" in lvm) path=/dev/mapper/vg0-root ;; *) path=/dev/sda2 ;; esac ;;
        esac
fi
case "$target:$path" in
device:*) echo "$path" ;;
fs:*) echo ext2 ;;
fs_uuid:/dev/sda2) echo 6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11 ;;
fs_uuid:/dev/sda3) echo 0b7d1c5e-2a44-4f0e-8d6b-52a0c3f9e6a1 ;;
fs_uuid:/dev/mapper/vg0-root) echo 9d2e4f60-7b1a-4c3d-a5e6-f70812345678 ;;
partuuid:*) echo 1b2c3d4e-0000-4000-8000-00000000000${path#/dev/sda} ;;
partmap:/dev/mapper/*) ;;
partmap:*) echo gpt ;;
abstraction:/dev/mapper/*) echo lvm ;;
abstraction:*) ;;
compatibility_hint:/dev/mapper/*) echo lvmid/AbCdEf-1234/GhIjKl-5678 ;;
compatibility_hint:*) echo "hd0,gpt${path#/dev/sda}" ;;
hints_string:/dev/mapper/*) echo "--hint='lvmid/AbCdEf-1234/GhIjKl-5678' " ;;
hints_string:*) n=${path#/dev/sda}; echo "--hint-bios=hd0,gpt$n --hint-efi=hd0,gpt$n --hint-baremetal=ahci0,gpt$n " ;;
drive:*) echo "(hd0,gpt${path#/dev/sda})" ;;
fs_label:*) ;;
cryptodisk_uuid:*) ;;
*) echo "grub-probe stand-in: $target $path?" >&2; exit 1 ;;
esac
PROBE
chmod +x "$work/bin/grub-probe"
# The stand-in grub-mkrelpath: a path inside a separate /boot is relative to that filesystem;
# a filesystem's root is "" (as grub_make_system_path_relative_to_its_root says it).
cat > "$work/bin/grub-mkrelpath" <<'RELPATH'
#!/bin/sh
case "$(cat /tmp/kl-variant):$1" in
boot:/boot | lvm:/boot | *:/) echo ;;
boot:/boot/* | lvm:/boot/*) echo "${1#/boot}" ;;
*) echo "$1" ;;
esac
RELPATH
chmod +x "$work/bin/grub-mkrelpath"
mount --bind "$work/bin/grub-mkrelpath" /usr/bin/grub-mkrelpath
mount --bind "$work/bin/grub-probe" /usr/sbin/grub-probe
touch /tmp/kl-variant 2>/dev/null || true
mount --bind "$work/boot" /boot
# /dev/disk/by-uuid/* for the pretend disks (10_linux writes root=UUID=... only when the link
# exists): a fresh /dev with the host's null, zero and random bound in.
mkdir "$work/olddev"
mount --rbind /dev "$work/olddev"
mount -t tmpfs none /dev
for n in null zero full random urandom tty; do
        touch "/dev/$n"
        mount --bind "$work/olddev/$n" "/dev/$n"
done
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir -p /dev/disk/by-uuid /dev/mapper
touch /dev/sda /dev/sda1 /dev/sda2 /dev/sda3 /dev/mapper/vg0-root
for u in 6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11 0b7d1c5e-2a44-4f0e-8d6b-52a0c3f9e6a1 \
         9d2e4f60-7b1a-4c3d-a5e6-f70812345678; do
        ln -s ../../sda2 "/dev/disk/by-uuid/$u"
done
cp -a /etc/default/. "$work/default/"
mount --bind "$work/default" /etc/default

kernels() { # kernels VERSION...
        rm -rf /boot/*; mkdir -p /boot/grub
        for k in "$@"; do
                echo kernel > "/boot/vmlinuz-$k"
                echo initrd > "/boot/initrd.img-$k"
                echo "CONFIG_X=y" > "/boot/config-$k"
        done
}

gen() { # gen NAME VARIANT SETTINGS
        echo "$2" > /tmp/kl-variant
        printf '%s\n' "$3" > "$work/default/grub"
        grub-mkconfig -o "$out/$1.cfg" 2>"$work/err" || { cat "$work/err" >&2; }
        echo "$out/$1.cfg"
}

base='GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""'

kernels 6.1.0-18-amd64
gen bookworm-default plain "$base"
kernels 6.1.0-18-amd64 6.1.0-17-amd64
gen bookworm-two-kernels plain "$base"
gen bookworm-separate-boot boot "$base"
gen bookworm-lvm lvm "$base"
gen bookworm-no-submenu plain "$base
GRUB_DISABLE_SUBMENU=y
GRUB_DISABLE_RECOVERY=true"
gen bookworm-hidden plain "$base
GRUB_TIMEOUT=0
GRUB_TIMEOUT_STYLE=hidden"
gen bookworm-saved plain "$base
GRUB_DEFAULT=saved
GRUB_SAVEDEFAULT=true"
gen bookworm-submenu-default plain "$base
GRUB_DEFAULT=\"1>2\"
GRUB_TIMEOUT_STYLE=countdown
GRUB_TIMEOUT=3"
gen bookworm-cmdline plain "$base
GRUB_CMDLINE_LINUX=\"console=ttyS0,115200n8 console=tty0 rootflags=subvol=@ systemd.unit=multi-user.target\"
GRUB_CMDLINE_LINUX_DEFAULT=\"quiet splash init_on_free=1\"
GRUB_TERMINAL=\"console serial\"
GRUB_SERIAL_COMMAND=\"serial --speed=115200\""
gen bookworm-theme plain "$base
GRUB_GFXMODE=1920x1080
GRUB_THEME=/usr/share/grub/themes/starfield/theme.txt
GRUB_DISABLE_OS_PROBER=true"
kernels 6.1.0-18-amd64
echo microcode > /boot/intel-ucode.img
echo microcode > /boot/amd-ucode.img
gen bookworm-microcode plain "$base"
kernels 6.1.0-18-amd64
echo CONFIG_XEN_DOM0=y > /boot/config-6.1.0-18-amd64
echo xen > /boot/xen-4.17-amd64.gz
echo xen > /boot/xen-4.17-amd64.config
gen bookworm-xen plain "$base
GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\""
rm -f /tmp/kl-variant
