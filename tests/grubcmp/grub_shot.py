#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A screenshot of real GRUB 2 drawing a theme: a rescue image made with grub-mkrescue (Debian's
grub-pc-bin, xorriso, mtools) is booted in QEMU (SeaBIOS, TCG, -nic none, -vga std), GRUB shows
the theme at the given size with a fixed menu and no timeout, and its screen is taken with QMP
`screendump`.

  grub_shot.py THEME_DIR OUT.png [--select N] [--size WxH] [--entries N] [--timeout N [--at N]]
               [--no-cache]

Shots are cached in ~/.cache/kexec-loader/grubcmp ($XDG_CACHE_HOME honoured), keyed by the
theme's files, GRUB's version and modules, the size and the menu (the whole grub.cfg), and are
made again when missing.

When GRUB has finished drawing: GRUB's menu code (grub-core/normal/menu.c) draws the graphical
menu on gfxterm, then the text menu on the other terminals (the image sends GRUB's output to the
serial port too), then shows or clears the countdown on every terminal, the graphical one last
(viewers are prepended, and gfxmenu registers first), which redraws part of the picture (more than
a second under TCG). So neither the serial text nor a stable screen proves the picture final. GRUB
then loops polling the keyboard through the BIOS (int 16h, in real mode); nothing else runs in real
mode once the menu is up. The harness waits for the last entry's title on the serial port, then
samples the CPU (HMP `info registers`) until CR0.PE is clear, stops the machine (QMP `stop`) and
takes the screen. With a countdown, the second on the picture is the last one printed on the serial
port before the sample (GRUB prints a second there before redrawing the picture); if a newer one
arrives before the stop, it tries again at the next second. Two equal screendumps end it.
"""

import fcntl
import hashlib
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

# Bump when the way shots are made changes (the cache then refills).
HARNESS_VERSION = "2"
GRUB_DIR = "/usr/lib/grub/i386-pc"
MODULES = ("all_video gfxterm gfxmenu png jpeg tga serial font normal echo test true "
           "configfile terminal regexp")
BOOT_TIMEOUT = 180

# The menu both GRUB and kexec-loader show: (title, GRUB classes). Titles are kept under 60
# characters so that GRUB's text menu on the serial port shows them whole.
ENTRIES = [
    ("Debian GNU/Linux", ["debian", "gnu-linux", "gnu", "os"]),
    ("Debian GNU/Linux, with Linux 6.1.0-28-amd64 (recovery mode)", ["debian", "gnu-linux"]),
    ("Fedora Linux 41 (Workstation Edition)", ["fedora", "gnu-linux"]),
    ("Arch Linux", ["arch", "gnu-linux"]),
    ("openSUSE Tumbleweed", ["opensuse", "gnu-linux"]),
    ("Ubuntu 24.04 LTS", ["ubuntu", "gnu-linux"]),
    ("Linux Mint 22", ["linuxmint", "gnu-linux"]),
    ("Alpine Linux", ["alpine"]),
    ("Gentoo Linux", ["gentoo", "gnu-linux"]),
    ("Void Linux", ["void"]),
    ("NixOS 24.05", ["nixos"]),
    ("Debian GNU/Linux 11 (bullseye)", ["debian", "gnu-linux"]),
]


class Skip(Exception):
    pass


def missing_tools():
    need = ["qemu-system-x86_64", "grub-mkrescue", "xorriso"]
    miss = [t for t in need if shutil.which(t) is None]
    if not os.path.exists(os.path.join(GRUB_DIR, "kernel.img")):
        miss.append("grub-pc-bin (%s)" % GRUB_DIR)
    return miss


def menu_entries(count, with_linux):
    """GRUB menuentries; with_linux adds the commands kexec-loader needs to list them as
    bootable (GRUB does not run them: it only shows the menu)."""
    out = []
    for title, classes in ENTRIES[:count]:
        body = " linux /boot/vmlinuz root=/dev/sda1 ro quiet " if with_linux else " true "
        out.append("menuentry '%s' %s {%s}" % (title, " ".join("--class " + c for c in classes),
                                               body))
    return "\n".join(out) + "\n"


def theme_fonts(theme_dir):
    """The theme's PF2 files in the order Debian's grub-mkconfig (00_header) loads them."""
    fonts = []
    for sub in ("", "f"):
        d = os.path.join(theme_dir, sub)
        if os.path.isdir(d):
            fonts += [os.path.join(sub, f) for f in sorted(os.listdir(d)) if f.endswith(".pf2")]
    return fonts


def grub_cfg(theme_dir, select_entry, size, count, timeout=-1):
    """As Debian's grub-mkconfig writes it for a theme (unicode first, then the theme's fonts),
    plus the serial port as a second terminal (see the module's text) and a fixed menu."""
    lines = ["insmod all_video", "insmod gfxterm", "insmod gfxmenu", "insmod png", "insmod jpeg",
             "insmod tga", "serial --unit=0 --speed=115200",
             "set gfxmode=%s" % size, "set gfxpayload=keep", "loadfont unicode"]
    lines += ["loadfont $prefix/themes/t/%s" % f for f in theme_fonts(theme_dir)]
    lines += ["terminal_output gfxterm serial", "set theme=$prefix/themes/t/theme.txt",
              "set timeout=%d" % timeout, "set timeout_style=menu", "set default=%d" % select_entry]
    return "\n".join(lines) + "\n" + menu_entries(count, False)


def grub_version():
    p = subprocess.run(["grub-mkrescue", "--version"], capture_output=True, text=True)
    h = hashlib.sha256(p.stdout.encode())
    for m in ("kernel.img", "gfxmenu.mod", "gfxterm.mod", "font.mod", "png.mod", "video_fb.mod"):
        with open(os.path.join(GRUB_DIR, m), "rb") as f:
            h.update(f.read())
    return p.stdout.strip(), h.hexdigest()[:16]


def tree_hash(root):
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            p = os.path.join(dirpath, name)
            h.update(os.path.relpath(p, root).encode() + b"\0")
            with open(p, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kexec-loader", "grubcmp")


def cache_key(theme_dir, select_entry, size, count, timeout):
    h = hashlib.sha256()
    for part in (HARNESS_VERSION, grub_version()[1], tree_hash(theme_dir),
                 grub_cfg(theme_dir, select_entry, size, count, timeout)):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:24]


class QMP:
    def __init__(self, path, deadline):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise RuntimeError("QEMU's QMP socket did not appear")
                time.sleep(0.05)
        self.file = self.sock.makefile("rw")
        self.file.readline()
        self.cmd("qmp_capabilities")

    def cmd(self, command, **args):
        self.file.write(json.dumps({"execute": command, "arguments": args}) + "\n")
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                raise RuntimeError("QMP closed")
            msg = json.loads(line)
            if "error" in msg:
                raise RuntimeError("QMP %s: %s" % (command, msg["error"]))
            if "return" in msg:
                return msg["return"]


COUNTDOWN = re.compile(rb"automatically in (\d+)s")


def latest_countdown(serial):
    found = COUNTDOWN.findall(serial)
    return int(found[-1]) if found else None


def boot_and_shoot(iso, out, last_title, countdown, at, work):
    """Boots the image, waits until GRUB has drawn everything and waits for a key (see the
    module's text), stops the machine and saves the screen. Returns (screendumps taken, the
    countdown's seconds on the screen or None)."""
    deadline = time.monotonic() + BOOT_TIMEOUT
    qmp_path = os.path.join(work, "qmp.sock")
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "256", "-nic", "none", "-vga", "std",
           "-global", "VGA.vgamem_mb=64", "-display", "none", "-no-reboot", "-cdrom", iso,
           "-serial", "stdio", "-monitor", "none", "-qmp", "unix:%s,server=on,wait=off" % qmp_path]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    serial = b""

    def read_serial(wait):
        nonlocal serial
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise RuntimeError("GRUB's menu did not come (serial: %r)" % serial[-400:])
        r, _, _ = select.select([proc.stdout], [], [], min(left, 1) if wait else 0)
        if r:
            serial += os.read(proc.stdout.fileno(), 65536)

    try:
        qmp = QMP(qmp_path, deadline)
        # 1. GRUB's text menu on the serial port: the graphical menu is drawn.
        want = last_title[:40].encode()
        while want not in serial or (countdown and (latest_countdown(serial) is None or
                                                    latest_countdown(serial) > at)):
            read_serial(True)
        while True:
            # 2. The CPU in real mode: GRUB is in its key loop (BIOS int 16h), past the
            # countdown's (or clear_timeout's) redraw of the graphical menu.
            while True:
                read_serial(False)
                before = latest_countdown(serial)
                regs = qmp.cmd("human-monitor-command", **{"command-line": "info registers"})
                m = re.search(r"CR0=([0-9a-f]+)", regs)
                if m and not int(m.group(1), 16) & 1:
                    break
            # 3. Freeze it; a countdown that ticked in between (its text reaches the serial port
            # before the picture is redrawn) means try again at the next second.
            qmp.cmd("stop")
            read_serial(False)
            if latest_countdown(serial) == before:
                break
            qmp.cmd("cont")
        tmp = out + ".tmp.png"
        prev, shots = None, 0
        while True:
            qmp.cmd("screendump", filename=tmp, format="png")
            with open(tmp, "rb") as f:
                data = f.read()
            shots += 1
            if data == prev:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("GRUB's screen never settled")
            prev = data
        os.replace(tmp, out)
        return shots, before if countdown else None
    finally:
        proc.kill()
        proc.wait()


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def shot(theme_dir, out, select_entry=1, size="1920x1080", count=5, use_cache=True, log=print,
         timeout=-1, at=None):
    """Writes GRUB's picture of the theme to out. timeout > 0: GRUB counts down from there and
    the picture shows the second `at` (default: timeout) or, rarely, one after it. Returns (the
    cache path used, the seconds left on the picture or None)."""
    at = timeout if at is None else at
    theme_dir = os.path.abspath(theme_dir)
    miss = missing_tools()
    if miss:
        raise Skip("missing: " + ", ".join(miss))
    key = cache_key(theme_dir, select_entry, size, count, timeout) + (
        "-at%d" % at if timeout > 0 else "")
    cdir = cache_dir()
    os.makedirs(cdir, exist_ok=True)
    cached = os.path.join(cdir, "%s.png" % key)
    with open(os.path.join(cdir, ".lock-" + key), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        meta = cached[:-4] + ".json"
        if not (use_cache and os.path.exists(cached) and os.path.exists(meta)):
            work = tempfile.mkdtemp(prefix="kl-grubshot-")
            try:
                root = os.path.join(work, "iso")
                shutil.copytree(theme_dir, os.path.join(root, "boot/grub/themes/t"))
                with open(os.path.join(root, "boot/grub/grub.cfg"), "w") as f:
                    f.write(grub_cfg(theme_dir, select_entry, size, count, timeout))
                iso = os.path.join(work, "grub.iso")
                p = subprocess.run(["grub-mkrescue", "-d", GRUB_DIR, "--themes=", "--locales=",
                                    "--install-modules=" + MODULES, "-o", iso, root],
                                   capture_output=True, text=True)
                if p.returncode != 0:
                    raise RuntimeError("grub-mkrescue failed:\n" + p.stderr[-2000:])
                t0 = time.monotonic()
                shots, left = boot_and_shoot(iso, cached + ".new", ENTRIES[count - 1][0],
                                             timeout > 0, at, work)
                got = "%dx%d" % png_size(cached + ".new")
                if got != size:
                    raise RuntimeError("GRUB's screen is %s, not %s (no such VBE mode?)" % (got,
                                                                                           size))
                with open(meta + ".new", "w") as f:
                    json.dump({"countdown": left, "grub": grub_version()[0]}, f)
                os.replace(cached + ".new", cached)
                os.replace(meta + ".new", meta)
                log("GRUB drew %s (entry %d, %s%s) in %.1f s (%d screendumps)" % (
                    os.path.basename(theme_dir), select_entry, size,
                    ", %d s left of %d" % (left, timeout) if timeout > 0 else "",
                    time.monotonic() - t0, shots))
            finally:
                shutil.rmtree(work, ignore_errors=True)
        else:
            log("GRUB's picture of %s (entry %d, %s) from the cache: %s" % (
                os.path.basename(theme_dir), select_entry, size, cached))
    if out:
        shutil.copyfile(cached, out)
    with open(meta) as f:
        return cached, json.load(f)["countdown"]


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    opts = {"--select": "1", "--size": "1920x1080", "--entries": "5", "--timeout": "-1",
            "--at": None}
    use_cache = True
    pos = []
    i = 0
    while i < len(args):
        if args[i] in opts and i + 1 < len(args):
            opts[args[i]] = args[i + 1]
            i += 2
        elif args[i] == "--no-cache":
            use_cache = False
            i += 1
        else:
            pos.append(args[i])
            i += 1
    try:
        _, left = shot(pos[0], pos[1], int(opts["--select"]), opts["--size"],
                       int(opts["--entries"]), use_cache, timeout=int(opts["--timeout"]),
                       at=int(opts["--at"]) if opts["--at"] else None)
        if left is not None:
            print("countdown on the picture: %d s" % left)
    except Skip as e:
        print("SKIP: " + str(e))
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
