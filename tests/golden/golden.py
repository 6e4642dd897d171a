#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Golden images of the shipped themes: `kexec-loader render` of the menu, device list, shell and
boot screens and of the menu while the disks are searched at 1024x768 and 1920x1080, compared with the PNGs in tests/golden/ (small tolerance;
a failing comparison writes the diff image next to the new rendering in the build directory).

  golden.py check THEME      compare one theme (a meson test each)
  golden.py update           re-render every golden image (after an intended change)
  golden.py docs             re-render the screenshots in docs/screenshots/"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BINARY = os.environ.get("KEXEC_LOADER", os.path.join(REPO, "build/src/kexec-loader"))
PNGDIFF = os.environ.get("KL_PNGDIFF", os.path.join(REPO, "build/tests/pngdiff"))
OUT = os.environ.get("KL_GOLDEN_OUT", os.path.join(os.path.dirname(BINARY), "..", "golden-out"))
THEMES = ["default", "classic", "high-contrast"]
SCREENS = ["menu", "devices", "shell", "boot", "searching"]
SIZES = ["1024x768", "1920x1080"]

CONFIG = """timeout 10
title Debian GNU/Linux 12 (bookworm)
root LABEL=debian
kernel /boot/vmlinuz
initrd /boot/initrd.img
append root=LABEL=debian ro quiet
default

title Debian GNU/Linux 12 (recovery mode)
root LABEL=debian
kernel /boot/vmlinuz
initrd /boot/initrd.img
append root=LABEL=debian ro single

title Fedora Linux 41 (Workstation Edition)
root UUID=5c1d9a2e-77f0-4c55-8a1b-2f6e0e9d4b31
kernel /boot/vmlinuz
cmdline root=UUID=5c1d9a2e-77f0-4c55-8a1b-2f6e0e9d4b31 rhgb

title Arch Linux
root PARTLABEL=arch
kernel /boot/vmlinuz

title A disk that is not plugged in
root UUID=0000-DEAD
kernel /boot/vmlinuz
"""


def fixture(root):
    disks = [("stick", "dev=/dev/sdb1,label=KEXECLOADER,uuid=1234-ABCD,type=vfat"),
             ("debian", "dev=/dev/sda2,label=debian,uuid=4a1c9f2e-0d7b-4e47-9a59-2f1c7d3b8e10,"
                        "type=ext4"),
             ("fedora", "dev=/dev/nvme0n1p3,uuid=5c1d9a2e-77f0-4c55-8a1b-2f6e0e9d4b31,type=xfs"),
             ("arch", "dev=/dev/nvme0n1p4,partlabel=arch,type=ext4")]
    args = []
    for name, ident in disks:
        d = os.path.join(root, name)
        os.makedirs(os.path.join(d, "boot"))
        data = bytearray(16384)
        data[0x202:0x206] = b"HdrS"
        open(os.path.join(d, "boot/vmlinuz"), "wb").write(data)
        open(os.path.join(d, "boot/initrd.img"), "w").write("initrd")
        args += ["--fs", d + "," + ident]
    open(os.path.join(root, "stick/kexec-loader.conf"), "w").write(CONFIG)
    return args


def render(args, theme, screen, size, out, keys=None, countdown=True, more=()):
    cmd = [BINARY, "render", "--out", out, "--size", size, "--theme", theme, "--screen", screen,
           "--select", "1" if screen == "menu" else "0",
           "--system", "Linux 6.1.0-28-amd64", "--cmdline", ""] + args
    if countdown:
        cmd += ["--timeout-left", "7"]
    cmd += list(more)
    if keys:
        cmd += ["--keys", keys]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise SystemExit("render failed: %s\n%s" % (" ".join(cmd), p.stderr))


def name(theme, screen, size):
    return "%s-%s-%s.png" % (theme, screen, size)


def docs():
    out = os.path.join(REPO, "docs", "screenshots")
    os.makedirs(out, exist_ok=True)
    root = tempfile.mkdtemp(prefix="kl-docs-")
    try:
        args = fixture(root)
        for theme in THEMES:
            render(args, theme, "menu", "1280x800", os.path.join(out, "%s-menu.png" % theme))
        for screen in ("devices", "shell", "boot"):
            render(args, "default", screen, "1280x800",
                   os.path.join(out, "default-%s.png" % screen))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("screenshots in " + out)
    return 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "docs":
        return docs()
    if len(sys.argv) < 2 or sys.argv[1] not in ("check", "update"):
        print(__doc__)
        return 2
    themes = sys.argv[2:] or THEMES
    root = tempfile.mkdtemp(prefix="kl-golden-")
    failed = 0
    try:
        args = fixture(root)
        os.makedirs(OUT, exist_ok=True)
        for theme in themes:
            for screen in SCREENS:
                for size in SIZES:
                    n = name(theme, screen, size)
                    golden = os.path.join(HERE, n)
                    if sys.argv[1] == "update":
                        render(args, theme, screen, size, golden)
                        print("updated " + n)
                        continue
                    new = os.path.join(OUT, n)
                    render(args, theme, screen, size, new)
                    if not os.path.exists(golden):
                        print("not ok - %s: no golden image (run tests/golden/golden.py update)" % n)
                        failed += 1
                        continue
                    p = subprocess.run([PNGDIFF, golden, new, new[:-4] + "-diff.png"],
                                       capture_output=True, text=True)
                    ok = p.returncode == 0
                    failed += not ok
                    print("%s - %s: %s%s" % ("ok" if ok else "not ok", n, p.stdout.strip(),
                                             "" if ok else "\n" + p.stderr.strip()[-2000:]))
        if sys.argv[1] == "check":
            failed += check_4k(args, themes)
            if "default" in themes:
                failed += check_keys(args)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


def check_4k(args, themes):
    """At 3840x2160 there is no golden image; instead the layout must be the 1080p one scaled
    by two (x-kexec-scale: auto): the 4K frame shrunk to half must look like the 1080p frame,
    within a looser tolerance for text rendered at twice the size. A clipped, unscaled or
    overflowing layout differs in far more pixels."""
    failed = 0
    for theme in themes:
        for screen in ("menu", "shell"):
            small = os.path.join(OUT, "%s-%s-1920x1080-4kref.png" % (theme, screen))
            big = os.path.join(OUT, "%s-%s-3840x2160.png" % (theme, screen))
            render(args, theme, screen, "1920x1080", small)
            render(args, theme, screen, "3840x2160", big)
            p = subprocess.run([PNGDIFF, small, big, big[:-4] + "-diff.png", "96", "40", "half"],
                               capture_output=True, text=True)
            ok = p.returncode == 0
            failed += not ok
            print("%s - %s %s at 3840x2160 is the 1080p layout scaled by 2: %s%s" % (
                "ok" if ok else "not ok", theme, screen, p.stdout.strip(),
                "" if ok else "\n" + p.stderr.strip()[-2000:]))
    return failed


def check_keys(args):
    """The menu's accessibility keys (docs/usage.md), which stop the countdown: C draws the
    high-contrast theme (the frame is --theme high-contrast's) and C again the configured one.
    Z draws the menu at the largest scale up to twice at which every entry still fits: at
    1920x1080 the frame is --scale N's for the N it logs, which is at least 150 %; at 1024x768
    nothing larger fits "Debian GNU/Linux 12 (recovery mode)" in the default theme's list, so
    the frame is --scale 150%'s (larger letters, titles cut)."""
    import re
    log = os.path.join(OUT, "keys.log")
    cases = [("c", "1024x768", "high-contrast", None),
             ("cc", "1024x768", "default", None),
             ("z", "1024x768", "default", 150),
             ("z", "1920x1080", "default", 150)]
    failed = 0
    for keys, size, ref_theme, min_scale in cases:
        new = os.path.join(OUT, "keys-%s-%s.png" % (keys, size))
        ref = os.path.join(OUT, "keys-ref-%s-%s.png" % (ref_theme, size))
        if os.path.exists(log):
            os.unlink(log)
        render(args, "default", "menu", size, new, keys=keys, countdown=False,
               more=["--log", log])
        more = []
        if min_scale:
            scales = re.findall(r"keys-z-%s\.png: scale (\d+)%%" % size, open(log).read())
            scale = int(scales[-1]) if scales else 0
            if scale < min_scale:
                print("not ok - --keys z at %s: scale %d%%, less than %d%%" % (size, scale,
                                                                           min_scale))
                failed += 1
                continue
            more = ["--scale", "%d%%" % scale]
            ref = ref[:-4] + "-%d.png" % scale
        render(args, ref_theme, "menu", size, ref, countdown=False, more=more)
        p = subprocess.run([PNGDIFF, ref, new, new[:-4] + "-diff.png"],
                           capture_output=True, text=True)
        ok = p.returncode == 0
        failed += not ok
        print("%s - --keys %s at %s is the %s theme%s: %s%s" % (
            "ok" if ok else "not ok", keys, size, ref_theme,
            " at --scale " + more[1] if more else "", p.stdout.strip(),
            "" if ok else "\n" + p.stderr.strip()[-2000:]))
    return failed


if __name__ == "__main__":
    sys.exit(main())
