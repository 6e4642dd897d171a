# SPDX-License-Identifier: GPL-2.0-or-later
"""Live ISO layouts of the families kexec-loader knows (issue 11), for the integration scenario
iso_families_listed: each family's file tree and boot configurations, written here from each
family's public sources (named per layout) or taken from the corpus (tests/data/corpus, whose
README gives their origin), short but with each family's idioms. A value None is a kernel
(kltest.fake_kernel), a string the file's text."""

import os

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "corpus")


def corpus(name, subs=()):
    """A corpus file with an image builder's placeholders filled in."""
    with open(os.path.join(CORPUS, name)) as f:
        text = f.read()
    for key, val in subs:
        text = text.replace(key, val)
    return text


# Ubuntu 24.04 desktop (casper; livecd-rootfs/debian-cd write the menus): kernel and initrd in
# /casper, boot/grub/grub.cfg for the disc and boot/grub/loopback.cfg for GRUB's loopback with
# iso-scan/filename=${iso_path}; no boot=casper on the command lines since Ubuntu 20.04 (casper is
# the only initramfs there), and the "---" that hands the rest to the installed system.
UBUNTU_GRUB = """set timeout=30

loadfont unicode

set menu_color_normal=white/black
set menu_color_highlight=black/light-gray

menuentry "Try or Install Ubuntu" {
\tset gfxpayload=keep
\tlinux\t/casper/vmlinuz  --- quiet splash
\tinitrd\t/casper/initrd
}
menuentry "Ubuntu (safe graphics)" {
\tset gfxpayload=keep
\tlinux\t/casper/vmlinuz  nomodeset  --- quiet splash
\tinitrd\t/casper/initrd
}
"""
UBUNTU_LOOPBACK = """menuentry "Try or Install Ubuntu" {
\tset gfxpayload=keep
\tlinux\t/casper/vmlinuz  iso-scan/filename=${iso_path} --- quiet splash
\tinitrd\t/casper/initrd
}
menuentry "Ubuntu (safe graphics)" {
\tset gfxpayload=keep
\tlinux\t/casper/vmlinuz  nomodeset  iso-scan/filename=${iso_path} --- quiet splash
\tinitrd\t/casper/initrd
}
"""
UBUNTU = {
    "casper/vmlinuz": None,
    "casper/initrd": "casper initramfs\n",
    "casper/minimal.squashfs": "squashfs\n",
    "boot/grub/grub.cfg": UBUNTU_GRUB,
    "boot/grub/loopback.cfg": UBUNTU_LOOPBACK,
    "EFI/boot/bootx64.efi": "shim\n",
    "EFI/boot/grubx64.efi": "grub\n",
    ".disk/info": "Ubuntu 24.04.1 LTS \"Noble Numbat\" - Release amd64 (20240827.1)\n",
}

# An Ubuntu respin without loopback.cfg: Ubuntu's grub.cfg alone, whose command lines carry no
# casper word since 20.04 (casper is the initramfs's default): known by the kernel's directory.
UBUNTU_RESPIN = {k: v for k, v in UBUNTU.items() if k != "boot/grub/loopback.cfg"}

# Debian 12 live (live-build 1:20230502): /live/vmlinuz and /live/initrd.img, boot/grub/grub.cfg
# sourcing config.cfg, its first entry with findiso=${iso_path} (live-boot's parameter) and the
# fail-safe one without; isolinux/ for BIOS (isolinux.cfg -> menu.cfg -> live.cfg).
DEBIAN_GRUB = """source /boot/grub/config.cfg

# Live boot
menuentry "Live system (amd64)" --hotkey=l {
\tlinux\t/live/vmlinuz boot=live components quiet splash findiso=${iso_path}
\tinitrd\t/live/initrd.img
}
menuentry "Live system (amd64 fail-safe mode)" {
\tlinux\t/live/vmlinuz boot=live components memtest noapic noapm nodma nomce nosmp nosplash vga=788
\tinitrd\t/live/initrd.img
}
"""
DEBIAN_CONFIG = """set default=0

loadfont $prefix/dejavu-bold-16.pf2
loadfont $prefix/dejavu-bold-14.pf2
loadfont $prefix/unicode.pf2
set gfxmode=auto
insmod all_video
insmod gfxterm
insmod png

set color_normal=light-gray/black
set color_highlight=white/black

terminal_output gfxterm

insmod play
play 960 440 1 0 4 440 1
"""
DEBIAN_ISOLINUX = "include menu.cfg\ndefault vesamenu.c32\nprompt 0\ntimeout 0\n"
DEBIAN_MENU = ("menu hshift 0\nmenu width 82\n\nmenu title Boot menu\ninclude stdmenu.cfg\n"
               "include live.cfg\nmenu clear\n")
DEBIAN_LIVE_CFG = corpus("debian/live-build-isolinux-live.cfg.in", (
    ("@FLAVOUR@", "amd64"), ("@KERNEL@", "/live/vmlinuz"), ("@INITRD@", "/live/initrd.img"),
    ("@LB_BOOTAPPEND_LIVE@", "components quiet splash"),
    ("@LB_BOOTAPPEND_FAILSAFE@", "memtest noapic noapm nodma nomce nolapic nomodeset nosmp "
                                 "nosplash vga=normal")))
DEBIAN = {
    "live/vmlinuz": None,
    "live/initrd.img": "live-boot initramfs\n",
    "live/filesystem.squashfs": "squashfs\n",
    "boot/grub/grub.cfg": DEBIAN_GRUB,
    "boot/grub/config.cfg": DEBIAN_CONFIG,
    "isolinux/isolinux.cfg": DEBIAN_ISOLINUX,
    "isolinux/menu.cfg": DEBIAN_MENU,
    "isolinux/stdmenu.cfg": "menu background splash.svg\nmenu color title * #FFFFFFFF *\n",
    "isolinux/live.cfg": DEBIAN_LIVE_CFG,
    ".disk/info": "Debian GNU/Linux 12.8.0 \"Bookworm\" - Official Live amd64\n",
}
# Debian 8 live (live-build 4): BIOS only, isolinux's INCLUDE chain the one configuration.
DEBIAN_OLD = {
    "live/vmlinuz": None,
    "live/initrd.img": "live-boot initramfs\n",
    "isolinux/isolinux.cfg": DEBIAN_ISOLINUX,
    "isolinux/menu.cfg": DEBIAN_MENU,
    "isolinux/stdmenu.cfg": "menu background splash.png\n",
    "isolinux/live.cfg": DEBIAN_LIVE_CFG,
}

# Fedora Workstation Live 41 (lorax's live templates, livemedia-creator): /images/pxeboot,
# boot/grub2/grub.cfg for BIOS and EFI/BOOT/grub.cfg for UEFI, both `search -l` by the ISO's label
# and root=live:CDLABEL=… rd.live.image (dracut's dmsquash-live: iso-scan/filename=).
FEDORA_LABEL = "Fedora-WS-Live-41-1-4"
FEDORA_SUBS = (("@ISOLABEL@", FEDORA_LABEL), ("@PRODUCT@", "Fedora-Workstation-Live"),
               ("@VERSION@", "41"), ("@KERNELPATH@", "/images/pxeboot/vmlinuz"),
               ("@INITRDPATH@", "/images/pxeboot/initrd.img"),
               ("@ROOT@", "root=live:CDLABEL=" + FEDORA_LABEL), ("@EXTRA@", ""))
FEDORA_BIOS = """set default="0"

function load_video {
  insmod all_video
}

load_video
set gfxpayload=keep
insmod gzio
insmod part_gpt
insmod ext2
insmod chain

set timeout=60
### END /etc/grub.d/00_header ###

search --no-floppy --set=root -l '@ISOLABEL@'

### BEGIN /etc/grub.d/10_linux ###
menuentry 'Start @PRODUCT@ @VERSION@' --class fedora --class gnu-linux --class gnu --class os {
\tlinux @KERNELPATH@ @ROOT@ @EXTRA@ rd.live.image quiet rhgb
\tinitrd @INITRDPATH@
}
menuentry 'Test this media & start @PRODUCT@ @VERSION@' --class fedora --class gnu-linux --class gnu --class os {
\tlinux @KERNELPATH@ @ROOT@ @EXTRA@ rd.live.image rd.live.check quiet
\tinitrd @INITRDPATH@
}
submenu 'Troubleshooting -->' {
\tmenuentry 'Start @PRODUCT@ @VERSION@ in basic graphics mode' --class fedora --class gnu-linux --class gnu --class os {
\t\tlinux @KERNELPATH@ @ROOT@ @EXTRA@ rd.live.image nomodeset quiet rhgb
\t\tinitrd @INITRDPATH@
\t}
\tmenuentry 'Boot first drive' --class fedora --class gnu-linux --class gnu --class os {
\t\tchainloader (hd0)+1
\t}
}
"""
for _k, _v in FEDORA_SUBS:
    FEDORA_BIOS = FEDORA_BIOS.replace(_k, _v)
FEDORA = {
    "images/pxeboot/vmlinuz": None,
    "images/pxeboot/initrd.img": "dracut initramfs\n",
    "LiveOS/squashfs.img": "squashfs\n",
    "boot/grub2/grub.cfg": FEDORA_BIOS,
    "EFI/BOOT/grub.cfg": corpus("fedora/lorax-live-grub2-efi.cfg", FEDORA_SUBS),
    "EFI/BOOT/BOOTX64.EFI": "shim\n",
}

# CentOS Stream 9 boot.iso (lorax's install templates): Anaconda's inst.stage2=hd:LABEL=…,
# EFI/BOOT/grub.cfg with a Troubleshooting submenu, isolinux for BIOS. Made Joliet-only.
CENTOS_LABEL = "CentOS-Stream-9-BaseOS-x86_64"
CENTOS_SUBS = (("@ISOLABEL@", CENTOS_LABEL), ("@PRODUCT@", "CentOS Stream"), ("@VERSION@", "9"),
               ("@KERNELPATH@", "/images/pxeboot/vmlinuz"),
               ("@INITRDPATH@", "/images/pxeboot/initrd.img"),
               ("@ROOT@", "inst.stage2=hd:LABEL=" + CENTOS_LABEL))
CENTOS = {
    "images/pxeboot/vmlinuz": None,
    "images/pxeboot/initrd.img": "dracut initramfs\n",
    "images/install.img": "stage2\n",
    "EFI/BOOT/grub.cfg": corpus("fedora/lorax-grub2-efi.cfg", CENTOS_SUBS),
    "EFI/BOOT/BOOTX64.EFI": "shim\n",
    "EFI/BOOT/grubx64.efi": "grub\n",
    "isolinux/isolinux.cfg": ("default vesamenu.c32\ntimeout 600\n"
                              "label linux\n  menu label ^Install CentOS Stream 9\n"
                              "  kernel vmlinuz\n  append initrd=initrd.img inst.stage2=hd:LABEL="
                              + CENTOS_LABEL + " quiet\n"),
    "isolinux/vmlinuz": None,
    "isolinux/initrd.img": "dracut initramfs\n",
    ".treeinfo": "[general]\nfamily = CentOS Stream\nversion = 9\n",
}

# openSUSE Tumbleweed KDE Live (kiwi): /boot/x86_64/loader/{linux,initrd,isolinux.cfg}, the
# marker file kiwi's GRUB searches for, boot/grub2/grub.cfg calling the loaders through $linux
# and $initrd (linuxefi on UEFI) with ($root) paths, EFI/BOOT/grub.cfg a stub sourcing it; dracut
# live (root=live:CDLABEL=… rd.live.image).
SUSE_LABEL = "openSUSE_Tumbleweed_KDE_Live"
SUSE_MARK = "/boot/0x7e8c3b21"
SUSE_GRUB = """set btrfs_relative_path="yes"
search --file --set=root %(mark)s
set default=0
set timeout=10
set linux=linux
set initrd=initrd
if [ "${grub_cpu}" = "x86_64" -o "${grub_cpu}" = "i386" ]; then
    if [ "${grub_platform}" = "efi" ]; then
        set linux=linuxefi
        set initrd=initrdefi
    fi
fi
menuentry "openSUSE-Tumbleweed-KDE-Live" --class os --unrestricted {
    set gfxpayload=keep
    echo Loading kernel...
    $linux ($root)/boot/x86_64/loader/linux ${extra_cmdline} root=live:CDLABEL=%(label)s rd.live.image
    echo Loading initrd...
    $initrd ($root)/boot/x86_64/loader/initrd
}
menuentry "Failsafe -- openSUSE-Tumbleweed-KDE-Live" --class os --unrestricted {
    set gfxpayload=keep
    echo Loading kernel...
    $linux ($root)/boot/x86_64/loader/linux ${extra_cmdline} root=live:CDLABEL=%(label)s rd.live.image ide=nodma apm=off noresume edd=off nomodeset 3
    echo Loading initrd...
    $initrd ($root)/boot/x86_64/loader/initrd
}
""" % {"mark": SUSE_MARK, "label": SUSE_LABEL}
SUSE = {
    "boot/x86_64/loader/linux": None,
    "boot/x86_64/loader/initrd": "dracut initramfs\n",
    "boot/x86_64/loader/isolinux.cfg": ("default live\nlabel live\n  kernel linux\n  append "
                                        "initrd=initrd root=live:CDLABEL=%s rd.live.image\n"
                                        % SUSE_LABEL),
    SUSE_MARK.lstrip("/"): "",
    "boot/grub2/grub.cfg": SUSE_GRUB,
    "EFI/BOOT/grub.cfg": ("set btrfs_relative_path=\"yes\"\nsearch --file --set=root %s\n"
                          "set prefix=($root)/boot/grub2\nsource ($root)/boot/grub2/grub.cfg\n"
                          % SUSE_MARK),
    "LiveOS/squashfs.img": "squashfs\n",
}

# Arch Linux (archiso's releng profile, in the corpus): /arch/boot/x86_64/vmlinuz-linux,
# boot/grub/loopback.cfg searching the ISO file by $iso_path and probing its filesystem's UUID
# into img_dev=UUID=… img_loop="${iso_path}"; boot/grub/grub.cfg with archisosearchuuid=.
ARCH_UUID = "2024-12-01-08-34-51-00"
ARCH_SUBS = (("%ARCH%", "x86_64"), ("%INSTALL_DIR%", "arch"), ("%ARCHISO_UUID%", ARCH_UUID),
             ("%ARCHISO_LABEL%", "ARCH_202412"))
ARCH = {
    "arch/boot/x86_64/vmlinuz-linux": None,
    "arch/boot/x86_64/initramfs-linux.img": "mkinitcpio initramfs\n",
    "arch/x86_64/airootfs.sfs": "squashfs\n",
    "boot/grub/grub.cfg": corpus("arch/releng-grub.cfg", ARCH_SUBS),
    "boot/grub/loopback.cfg": corpus("arch/releng-loopback.cfg", ARCH_SUBS),
    "boot/" + ARCH_UUID + ".uuid": "",
    "shellx64.efi": "shell\n",
}

# Manjaro 24 (manjaro-tools' buildiso, miso: archiso's fork): /boot/vmlinuz-x86_64 with the
# microcode and /boot/initramfs-x86_64.img, the squashfs images in /manjaro/x86_64, misobasedir=
# and misolabel= on GRUB's command lines (variables set in grub.cfg), no loopback.cfg. miso's
# loop hook takes img_dev= as a device path only (mkinitcpio's poll_device).
MANJARO_LABEL = "MANJARO_KDE_2412"
MANJARO_ARGS = ("misobasedir=manjaro misolabel=%s quiet splash udev.log_priority=3 "
                "systemd.show_status=1" % MANJARO_LABEL)
MANJARO_GRUB = """set arch=x86_64
set kernel_args="%s"
set timeout=10

menuentry "Boot with open source drivers" --class=manjaro --hotkey=f {
\tset gfxpayload=keep
\tlinux\t/boot/vmlinuz-$arch driver=free nouveau.modeset=1 i915.modeset=1 radeon.modeset=1 $kernel_args
\tinitrd\t/boot/intel_ucode.img /boot/amd_ucode.img /boot/initramfs-$arch.img
}
menuentry "Boot with proprietary drivers" --class=manjaro --hotkey=n {
\tset gfxpayload=keep
\tlinux\t/boot/vmlinuz-$arch driver=nonfree nouveau.modeset=0 i915.modeset=1 radeon.modeset=0 $kernel_args
\tinitrd\t/boot/intel_ucode.img /boot/amd_ucode.img /boot/initramfs-$arch.img
}
""" % MANJARO_ARGS
MANJARO = {
    "boot/vmlinuz-x86_64": None,
    "boot/initramfs-x86_64.img": "miso initramfs\n",
    "boot/intel_ucode.img": "ucode\n",
    "boot/amd_ucode.img": "ucode\n",
    "boot/grub/grub.cfg": MANJARO_GRUB,
    "manjaro/x86_64/rootfs.sfs": "squashfs\n",
    "manjaro/x86_64/desktopfs.sfs": "squashfs\n",
    ".miso": "",
}

# Gentoo's minimal install media (catalyst, genkernel's initramfs): /boot/gentoo and
# /boot/gentoo.igz, the volume ISOIMAGE searched by label, `cdroot` on the command line; genkernel
# finds an ISO file by isoboot=PATH.
GENTOO_GRUB = """set default=0
set gfxpayload=keep
set timeout=10
insmod all_video

menuentry 'Boot LiveCD (kernel: gentoo)' --class gnu-linux --class os {
\tsearch --no-floppy --set=root -l 'ISOIMAGE'
\tlinux /boot/gentoo dokeymap looptype=squashfs loop=/image.squashfs cdroot 
\tinitrd /boot/gentoo.igz
}

menuentry 'Boot LiveCD (kernel: gentoo) (cached)' --class gnu-linux --class os {
\tsearch --no-floppy --set=root -l 'ISOIMAGE'
\tlinux /boot/gentoo dokeymap looptype=squashfs loop=/image.squashfs cdroot docache
\tinitrd /boot/gentoo.igz
}
"""
GENTOO = {
    "boot/gentoo": None,
    "boot/gentoo.igz": "genkernel initramfs\n",
    "boot/grub/grub.cfg": GENTOO_GRUB,
    "image.squashfs": "squashfs\n",
    "livecd": "",
}

# NixOS 24.11 minimal (nixos/modules/installer/cd-dvd/iso-image.nix): /boot/bzImage and
# /boot/initrd, GRUB's UEFI menu in EFI/boot/grub.cfg (lower-case "boot" on a Rock Ridge image),
# found by a marker file, `findiso=${iso_path}` through $isoboot when $iso_path is set, stage 2 by
# init=/nix/store/…/init, submenus (one empty: `submenu "" {return}`); isolinux for BIOS.
NIXOS_INIT = "/nix/store/9l5m7xzc1cnkyj6dx7p5r4hw3lpd4g4i-nixos-system-nixos-24.11.710905.a0f3e10d9435/init"
NIXOS_LABEL = "nixos-minimal-24.11-x86_64"
NIXOS_PARAMS = "init=%s  root=LABEL=%s boot.shell_on_fail" % (NIXOS_INIT, NIXOS_LABEL)
NIXOS_NAME = "NixOS 24.11.710905.a0f3e10d9435"


def _nixos_entry(name, cls, extra=""):
    return ("menuentry '%s %s' --class %s {\n  linux /boot/bzImage ${isoboot} %s %s\n"
            "  initrd /boot/initrd\n}\n" % (NIXOS_NAME, name, cls, NIXOS_PARAMS, extra))


NIXOS_GRUB = ("set with_fonts=false\nset textmode=false\nset with_serial=no\n"
              "if serial; then set with_serial=yes ;fi\nexport with_serial\nclear\n"
              "set timeout=10\n\n"
              "# Search using a \"marker file\"\nsearch --set=root --file /EFI/nixos-installer-image\n"
              "insmod gfxterm\ninsmod png\nset gfxpayload=keep\n\n"
              "if [ ${iso_path} ] ; then\n  set isoboot=\"findiso=${iso_path}\"\nfi\n\n"
              + _nixos_entry("Installer", "installer")
              + _nixos_entry("(nomodeset)", "nomodeset", "nomodeset")
              + "submenu \"HiDPI, Quirks and Accessibility\" --class hidpi --class submenu {\n"
              + "  submenu \"Suggests resolution @720p\" --class hidpi-720p {\n"
              + _nixos_entry("", "installer", "video=1280x720@60")
              + "  }\n  submenu \"\" {return}\n}\n"
              "menuentry 'Firmware Setup' --class settings {\n  fwsetup\n  clear\n}\n"
              "menuentry 'Shutdown' --class shutdown {\n  halt\n}\n")
NIXOS = {
    "boot/bzImage": None,
    "boot/initrd": "stage 1\n",
    "nix-store.squashfs": "squashfs\n",
    "EFI/nixos-installer-image": "",
    "EFI/boot/grub.cfg": NIXOS_GRUB,
    "EFI/boot/bootx64.efi": "grub\n",
    "isolinux/isolinux.cfg": ("SERIAL 0 115200\nTIMEOUT 100\nUI vesamenu.c32\nDEFAULT boot\n\n"
                              "LABEL boot\nMENU LABEL %s\nLINUX /boot/bzImage\nAPPEND %s\n"
                              "INITRD /boot/initrd\n" % (NIXOS_NAME, NIXOS_PARAMS)),
    "version.txt": "24.11.710905.a0f3e10d9435\n",
}

# Alpine 3.21 standard: no family kexec-loader knows (its initramfs takes alpine_dev=/isofile
# parameters of its own): listed, with the note that it may not find its files.
ALPINE = {
    "boot/vmlinuz-lts": None,
    "boot/initramfs-lts": "initramfs\n",
    "boot/grub/grub.cfg": ("set timeout=1\n\nmenuentry \"Linux lts\" {\n"
                           "linux\t/boot/vmlinuz-lts modules=loop,squashfs,sd-mod,usb-storage "
                           "quiet \ninitrd\t/boot/initramfs-lts\n}\n"),
    "apks/.boot_repository": "",
}

# A Windows 11 installer's tree: no Linux entry anywhere.
WINDOWS = {
    "bootmgr": "bootmgr\n",
    "bootmgr.efi": "bootmgr\n",
    "boot/bcd": "bcd\n",
    "efi/boot/bootx64.efi": "bootmgr\n",
    "efi/microsoft/boot/bcd": "bcd\n",
    "sources/boot.wim": "wim\n",
    "setup.exe": "MZ\n",
    "autorun.inf": "[AutoRun.Amd64]\nopen=setup.exe\n",
}
