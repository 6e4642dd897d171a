#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""initramfs/mkstick's filesystem (TAP): the FAT type, cluster size and partition entry it picks
for a size (FAT16 with 4 KiB clusters below 264 MiB, FAT32 with 4 KiB clusters above, --fat 16|32
to choose), read back with mtools and sfdisk from real images (real mkfs.vfat, mtools,
syslinux); the kernel and initramfs each in one run of clusters; bad --fat values refused.
Skipped (77) without the tools mkstick needs."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MKSTICK = os.path.join(REPO, "initramfs", "mkstick")
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", MTOOLSRC="/dev/null",
           PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
NEEDED = ["/usr/lib/shim/shimx64.efi.signed", "/usr/lib/shim/mmx64.efi.signed",
          "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed", "/usr/lib/syslinux/mbr/mbr.bin"]

n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, what))
    if not cond:
        failed += 1


def run(args):
    return subprocess.run(args, env=ENV, capture_output=True, text=True)


def stick(tmp, name, *args):
    out = os.path.join(tmp, name + ".img")
    r = run([MKSTICK, "-o", out, "--kernel", os.path.join(tmp, "vmlinuz"),
             "--initramfs", os.path.join(tmp, "initrd.img")] + list(args))
    return out, r


def layout(img):
    """(FAT bits, bytes per cluster, label, partition type, bootable) read back from img."""
    info = run(["minfo", "-i", img + "@@1M", "::"]).stdout
    spc = int(re.search(r"cluster size: (\d+) sectors", info).group(1))
    ssize = int(re.search(r"sector size: (\d+) bytes", info).group(1))
    fat = re.search(r'disk type="FAT(\d+)', info).group(1)
    label = re.search(r'disk label="([^"]*)"', info).group(1).strip()
    part = run(["sfdisk", "-d", img]).stdout.splitlines()[-1]
    ptype = re.search(r"type=(\w+)", part).group(1)
    return int(fat), spc * ssize, label, ptype, "bootable" in part


def main():
    missing = [t for t in ("mkfs.vfat", "minfo", "mshowfat", "mdir", "sfdisk", "syslinux")
               if not shutil.which(t, path=ENV["PATH"])]
    missing += [f for f in NEEDED if not os.path.exists(f)]
    if missing:
        print("1..0 # SKIP missing " + ", ".join(missing))
        return 0
    tmp = tempfile.mkdtemp(prefix="kl-mkstick-")
    try:
        # stand-ins for the kernel and initramfs (mkstick only copies them): several clusters
        for name, size in (("vmlinuz", 3 * 1024 * 1024 + 100), ("initrd.img", 2 * 1024 * 1024)):
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(os.urandom(size))
        cases = [("default", (), (16, 4096)), ("s300", ("--size", "300"), (32, 4096)),
                 ("s260", ("--size", "260"), (16, 8192)),
                 ("fat32", ("--fat", "32"), (32, 512)),
                 ("fat16_600", ("--fat", "16", "--size", "600"), (16, 16384))]
        for name, args, (want_fat, want_cluster) in cases:
            img, r = stick(tmp, name, *args)
            ok(r.returncode == 0, "%s: mkstick %s succeeds%s" % (
                name, " ".join(args), "" if r.returncode == 0 else ": " + r.stderr.strip()))
            if r.returncode:
                continue
            fat, cluster, label, ptype, boot = layout(img)
            ok((fat, cluster) == (want_fat, want_cluster),
               "%s: FAT%d with %d-byte clusters (got FAT%d, %d)" % (
                   name, want_fat, want_cluster, fat, cluster))
            ok(label == "KEXECLOADER" and ptype == "c" and boot,
               "%s: label KEXECLOADER, type 0x0c, bootable (got %r, %s, %s)" % (
                   name, label, ptype, boot))
            if name == "default":
                files = run(["mdir", "-a", "-b", "-i", img + "@@1M", "::/"]).stdout
                ok("::/.kexec-loader-stick" in files and "::/syslinux.cfg" in files,
                   "default: the marker and syslinux.cfg are there")
                for f in ("vmlinuz", "initrd.img"):
                    chain = run(["mshowfat", "-i", img + "@@1M", "::/" + f]).stdout
                    runs = re.findall(r"<(\d+)-(\d+)>", chain)
                    ok(len(runs) == 1, "default: /%s in one run of clusters (%s)" % (
                        f, chain.strip()))
        for args, why in ((("--fat", "12"), "--fat 12"),
                          (("--fat", "16", "--size", "1025"), "--fat 16 above 1024 MiB"),
                          (("--size", "33"), "--size below 34 MiB")):
            _, r = stick(tmp, "bad", *args)
            ok(r.returncode != 0 and "error" in r.stderr, "%s is refused: %s" % (
                why, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "no message"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
