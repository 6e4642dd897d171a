# SPDX-License-Identifier: GPL-2.0-or-later
"""Unclean filesystems (issue 14): every filesystem type the stick mounts, clean and unclean, as
disks of one VM; kexec-loader reads each one's grub.cfg without replaying any journal or log,
never mounts a hibernated Windows' NTFS volume, and no disk changes (sha256), not even after an
entry on an unclean btrfs boots. A scenario of tests/qemu/e2e.py (it imports it)."""

import os
import re
import subprocess

import vm as V
from vm import Failure
import setupvm as SV

ESC = "\x1b"
END = "\x1b[F"

# What the kernel's drivers accept of the read-only mount, as src/backend/mount.c's table asks
# (the debug log's words): the unclean ext3/ext4 and xfs refuse the plain mount on a read-only
# device and take the retry; btrfs and f2fs always get theirs first.
RETRIED = {"ext3u": "noload", "ext4u": "noload", "xfsu": "norecovery"}
FIRST = {"btrfs": "rescue=nologreplay", "f2fs": "norecovery"}

HIBERNATED = "Windows is hibernated or shut down with Fast Startup"
LOG_UNCLEAN = "Windows did not shut down cleanly"


def run_text(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.stdout.decode(errors="replace")


def grub_cfg(fstype, state, serial):
    return ("menuentry '%s %s' {\n\tlinux /boot/vmlinuz console=ttyS0,115200 quiet panic=-1 "
            "entry=%s\n\tinitrd /boot/stage2.img\n}\n" % (fstype, state, serial))


def tree(vm, name, fstype):
    d = vm.path(name + ".d")
    os.makedirs(os.path.join(d, "boot/grub"))
    with open(os.path.join(d, "boot/grub/grub.cfg"), "w") as f:
        f.write(grub_cfg(fstype, "clean", name))
    return d


def ntfs_logfile_at(path):
    """The device offset of $LogFile's data (its first run), read as src/core/ntfsstate.c reads
    it: boot sector, MFT record 2 with its fixups, its $DATA attribute's first mapping pair."""
    with open(path, "rb") as f:
        boot = f.read(512)
        spc = boot[13]
        cluster = int.from_bytes(boot[11:13], "little") * (spc if spc <= 0x80 else 1 << (256 - spc))
        cpr = int.from_bytes(boot[0x40:0x41], "little", signed=True)
        size = cpr * cluster if cpr > 0 else 1 << -cpr
        f.seek(int.from_bytes(boot[0x30:0x38], "little") * cluster + 2 * size)
        rec = bytearray(f.read(size))
    usa, count = int.from_bytes(rec[4:6], "little"), int.from_bytes(rec[6:8], "little")
    for i in range(1, count):
        rec[i * 512 - 2:i * 512] = rec[usa + 2 * i:usa + 2 * i + 2]
    off = int.from_bytes(rec[0x14:0x16], "little")
    while int.from_bytes(rec[off:off + 4], "little") != 0x80:
        off += int.from_bytes(rec[off + 4:off + 8], "little")
    runs = off + int.from_bytes(rec[off + 0x20:off + 0x22], "little")
    lb, ob = rec[runs] & 15, rec[runs] >> 4
    return int.from_bytes(rec[runs + 1 + lb:runs + 1 + lb + ob], "little", signed=True) * cluster


def restart_page(lsn, in_use, flags):
    """A $LogFile restart page as Windows leaves it while it holds the volume: one client in use,
    RESTART_VOLUME_IS_CLEAN not set (flags 0), the update-sequence fixups applied."""
    p = bytearray(4096)
    p[0:4] = b"RSTR"
    p[4], p[6] = 0x1e, 9
    p[0x11] = p[0x15] = 0x10
    p[0x18], p[0x1a], p[0x1c] = 0x30, 1, 1
    ra = 0x30
    p[ra:ra + 8] = lsn.to_bytes(8, "little")
    p[ra + 8] = 1
    p[ra + 0xa:ra + 0xc] = b"\xff\xff"
    p[ra + 0xc:ra + 0xe] = in_use.to_bytes(2, "little")
    p[ra + 0xe:ra + 0x10] = flags.to_bytes(2, "little")
    p[0x1e] = 7
    for i in range(1, 9):
        p[0x1e + 2 * i:0x20 + 2 * i] = p[i * 512 - 2:i * 512]
        p[i * 512 - 2:i * 512] = b"\x07\x00"
    return bytes(p)


def ntfs_image(vm, name, tree_dir, hiber=None, unclean_log=False):
    path = vm.path(name + ".img")
    with open(path, "wb") as f:
        f.truncate(32 << 20)
    V.run(["mkntfs", "-q", "-F", "-f", "-L", "KL-" + name, path])
    # ntfscp writes into existing directories only: the entry sits in the root (a kernel that has
    # an NTFS driver would list it; Debian 6.1's has none)
    V.run(["ntfscp", "-q", path, os.path.join(tree_dir, "boot/grub/grub.cfg"), "grub.cfg"])
    if hiber:
        h = vm.path(name + ".hiberfil")
        with open(h, "wb") as f:
            f.write(hiber + bytes(8192 - len(hiber)))
        V.run(["ntfscp", "-q", path, h, "hiberfil.sys"])
    if unclean_log:
        at = ntfs_logfile_at(path)
        with open(path, "r+b") as f:
            f.seek(at)
            f.write(restart_page(100, 0, 0) + restart_page(90, 0, 0))
    return V.Disk(path).seal()


def wait_debug(vm, needles):
    """Waits until the debug log holds every one of needles (anywhere)."""

    def step(data, cursor, scanned):
        return (cursor, True, None) if all(n.encode() in data for n in needles) else (None, None,
                                                                                    None)

    try:
        vm.debug.wait(step, V.TIMEOUT, "the debug log's lines")
    except Failure:
        text = vm.debug.text()
        raise Failure("not in the debug log: %r" % [n for n in needles if n not in text])


def check_unclean_states(by_serial):
    """The unclean disks are unclean, as each filesystem's own tools read them on the host."""
    checks = [
        ("ext2u", ["dumpe2fs", "-h"], r"Filesystem state:\s+not clean"),
        ("ext3u", ["dumpe2fs", "-h"], r"Filesystem features:.*needs_recovery"),
        ("ext4u", ["dumpe2fs", "-h"], r"Filesystem features:.*needs_recovery"),
        ("btrfsu", ["btrfs", "inspect-internal", "dump-super"], r"log_root\s+[1-9]"),
        ("xfsu", ["xfs_repair", "-n"], r"metadata changes in a log"),
        ("vfatu", ["fsck.fat", "-n"], r"[Dd]irty bit is set"),
        ("udfu", ["udfinfo"], r"integrity=opened"),
    ]
    for serial, cmd, rx in checks:
        if not V.have(cmd[0]):
            print("# %s: %s is missing, its unclean state is not checked here" % (serial, cmd[0]))
            continue
        out = run_text(cmd + [by_serial[serial].path])
        if not re.search(rx, out):
            raise Failure("%s is not unclean (%s):\n%s" % (serial, " ".join(cmd), out[-1500:]))
        print("# %s unclean: %s" % (serial, re.search(rx, out).group(0).splitlines()[0]))


def scenario_unclean_fs(art):
    """Every filesystem type the stick mounts in one VM (23 disks): ext2, ext3, ext4, xfs, btrfs,
    f2fs, vfat, exfat, udf (each clean and unclean: made in the setup VM, tests/qemu/disks/
    unclean-fs.sh, the unclean ones crashed with a journal, log or roll-forward data pending),
    iso9660 and squashfs (read-only formats), and NTFS clean, hibernated (hiberfil.sys "HIBR")
    and with an unclean $LogFile (made with mkntfs and ntfscp). The menu lists the entry of each
    of the 20 mountable ones (the unclean ones read without replay: the debug log names
    the option each took); both unclean NTFS volumes are never mounted, with the reason in the
    device list; the entry on the unclean btrfs boots; every disk's sha256 is unchanged."""
    for tool in ("mkfs.xfs", "mkfs.f2fs", "mkfs.exfat", "mkudffs", "mkntfs", "ntfscp",
                 "mksquashfs", "xorriso"):
        if not V.have(tool) and not os.path.exists("/usr/sbin/" + tool):
            raise V.Skip("%s is missing" % tool)
    vm = V.VM("unclean_fs", art, vga="none")
    made = SV.disks("unclean-fs", art, vm.dir)
    recipe = open(os.path.join(SV.RECIPES, "unclean-fs.sh")).read()
    serials = [s for s, _ in SV.recipe_disks(recipe)]
    by_serial = dict(zip(serials, made))
    # Linux's exfat clears VOLUME_DIRTY at every sync, so the crash leaves it clean: the flag is
    # set here (VolumeFlags, byte 106 of the boot sector, outside the boot checksum).
    with open(by_serial["exfatu"].path, "r+b") as f:
        f.seek(106)
        flags = f.read(1)[0]
        f.seek(106)
        f.write(bytes([flags | 0x02]))
    by_serial["exfatu"].seal()
    check_unclean_states(by_serial)

    iso_tree = tree(vm, "iso", "iso9660")
    iso = vm.path("iso.img")
    V.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-V", "KL-ISO", "-o", iso, iso_tree])
    sq_tree = tree(vm, "squashfs", "squashfs")
    sq = vm.path("squashfs.img")
    V.run(["mksquashfs", sq_tree, sq, "-quiet", "-noappend", "-no-progress"])
    nt_tree = tree(vm, "ntfs", "ntfs")
    ntfs = [ntfs_image(vm, "ntfs", nt_tree),
            ntfs_image(vm, "ntfshib", nt_tree, hiber=b"HIBR"),
            ntfs_image(vm, "ntfslog", nt_tree, unclean_log=True)]
    host = [V.Disk(iso).seal(), V.Disk(sq).seal()] + ntfs
    disks = made + host
    names = serials + ["iso", "squashfs", "ntfs", "ntfshib", "ntfslog"]
    dev = {n: "/dev/vd%s" % chr(ord("a") + i) for i, n in enumerate(names)}
    vm.drives = disks
    vm.start()
    try:
        entries = len(made) + 2
        vm.wait_trace("menu ready entries=%d .*unresolved=0" % entries)
        needles = ["mounted %s (" % dev[n] for n in serials + ["iso", "squashfs"]]
        needles += ["%s (%s) mounted with %s: its journal was not replayed" % (dev[n], n[:-1], o)
                    for n, o in RETRIED.items()]
        needles += ["%s (%s) mounted with %s" % (dev[s], n, o)
                    for n, o in FIRST.items() for s in (n, n + "u")]
        needles += ["%s: %s" % (dev["ntfshib"], HIBERNATED),
                    "%s: %s" % (dev["ntfslog"], LOG_UNCLEAN)]
        wait_debug(vm, needles)
        log = vm.debug.text()
        if "Trying to write to read-only block-device" in log:
            raise Failure("a driver wrote to a read-only device:\n" + log[-3000:])
        for n in ("ntfshib", "ntfslog"):
            if "mounting %s " % dev[n] in log:
                raise Failure("%s (%s) was mounted" % (dev[n], n))
        print("# %d entries read from %d filesystems; each unclean one without replay"
              % (entries, entries))
        vm.send("L")
        vm.wait_trace("screen pager devices")
        vm.wait_screen("KL-btrfsu", "btrfs", "ext2", "xfs", "f2fs")
        vm.send(END)
        # (the rows are cut at the screen's width: the start of each reason)
        vm.wait_screen("%s: %s" % (dev["ntfshib"], HIBERNATED),
                       "%s: %s" % (dev["ntfslog"], LOG_UNCLEAN), "ntfs (not mounted)",
                       "squashfs")
        vm.send(ESC)
        vm.wait_trace("screen menu")
        vm.send("\r")  # the first entry: the unclean btrfs (vda)
        cmdline = vm.stage2_cmdline()
        if "entry=btrfsu" not in cmdline:
            raise Failure("the entry on the unclean btrfs should boot: %r" % cmdline)
        vm.wait_exit()
        if "Trying to write to read-only block-device" in vm.debug.text():
            raise Failure("a driver wrote to a read-only device")
        for d, n in zip(disks, names):
            if not d.unchanged():
                raise Failure("%s (%s) was written to (checksum changed)" % (d.path, n))
        print("# %d disks unchanged (sha256): %s" % (len(disks), " ".join(names)))
    finally:
        vm.stop()
