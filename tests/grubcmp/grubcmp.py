#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kexec-loader's picture of a GRUB theme against real GRUB's (grub_shot.py).

  grubcmp.py check NAME [--countdown]   one theme (a meson test each): score and verdict
  grubcmp.py docs [NAME...]             pictures in docs/screenshots and the score table

NAME is a Debian-packaged theme in /usr/share/grub/themes (starfield, breeze) or a test theme in
tests/grubcmp/themes. Both sides show the same menu (grub_shot.ENTRIES), the same selected entry
and no countdown (GRUB `timeout=-1`; render without --timeout-left), at 1920x1080. With
--countdown, GRUB counts down from 10 s and is taken at 6 s left (the second it shows is read from
its serial port), and render gets the same timeout and --timeout-left.

The score (grubscore.c) is the mean absolute difference of the 24x24-pixel cells' mean colours,
0..255, and the number of visibly different cells (more than 8). Both are calibrated on GRUB
itself: GRUB's picture with entry 1 selected against GRUB's picture with entry 2 selected is the
smallest change a user is meant to see (the highlight moved by one row). kexec-loader's picture
passes when it is closer to GRUB's than that, by both measures:

  ratio = score(GRUB, ours) / score(GRUB, GRUB with the next entry selected) < 1
  cells ratio = visible cells(GRUB, ours) / visible cells(GRUB, GRUB next) < 1

(The mean alone lets many small differences hide behind a salient highlight: a theme whose
selected row is a large bright box has a large calibration.)

Outputs (GRUB's, ours, the cell heat map) go to $KL_GRUBCMP_OUT (build/grubcmp-out)."""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import grub_shot  # noqa: E402

BINARY = os.environ.get("KEXEC_LOADER", os.path.join(REPO, "build/src/kexec-loader"))
SCORE = os.environ.get("KL_GRUBSCORE", os.path.join(REPO, "build/tests/grubscore"))
OUT = os.path.normpath(os.environ.get("KL_GRUBCMP_OUT", os.path.join(
    os.path.dirname(BINARY), "..", "tests", "grubcmp-out")))
SIZE = "1920x1080"
SELECT = 1
# Ratio at or above which a theme fails (see the module's text).
THRESHOLD = 1.0
# Menu length per theme (default 5): the test theme's list is made to overflow (scrollbar).
ENTRY_COUNT = {"allprops": 12}
DEBIAN_THEMES = "/usr/share/grub/themes"
# Side-by-side pictures in docs/screenshots: the whole screen (800 pixels wide in all) and the
# start of the list at its real size (x, y, width, height of the crop).
DOCS_THEMES = {"starfield": (200, 230, 440, 160), "breeze": (740, 300, 440, 160),
               "allprops": (560, 160, 440, 160)}


def theme_dir(name):
    for d in (os.path.join(HERE, "themes", name), os.path.join(DEBIAN_THEMES, name)):
        if os.path.isfile(os.path.join(d, "theme.txt")):
            return d
    return None


COUNTDOWN_FROM, COUNTDOWN_AT = 10, 6


def fixture(root, count, timeout=-1):
    """A filesystem with the same menu as a GRUB config, for `render --fs`."""
    os.makedirs(os.path.join(root, "boot/grub"))
    data = bytearray(16384)
    data[0x202:0x206] = b"HdrS"
    with open(os.path.join(root, "boot/vmlinuz"), "wb") as f:
        f.write(data)
    with open(os.path.join(root, "boot/grub/grub.cfg"), "w") as f:
        f.write("set timeout=%d\nset default=0\n" % timeout + grub_shot.menu_entries(count, True))
    return ["--fs", root + ",dev=/dev/sda1,uuid=4a1c9f2e-0d7b-4e47-9a59-2f1c7d3b8e10,type=ext4"]


def render(theme, out, select_entry, count, timeout=-1, left=None):
    root = tempfile.mkdtemp(prefix="kl-grubcmp-")
    try:
        cmd = [BINARY, "render", "--out", out, "--size", SIZE, "--theme", theme,
               "--select", str(select_entry), "--cmdline", ""]
        cmd += fixture(os.path.join(root, "fs"), count, timeout)
        cmd += ["--timeout-left", str(left)] if left is not None else []
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise RuntimeError("render failed: %s\n%s" % (" ".join(cmd), p.stderr))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def score(a, b, *extra):
    p = subprocess.run([SCORE, a, b] + list(extra), capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("grubscore failed: %s" % p.stderr)
    f = p.stdout.split()
    return float(f[1]), float(f[3]), f[5], int(f[9])


def compare(name, docs=False, countdown=False):
    """Returns a dict: score, worst, where, seen (ours against GRUB), calib, calib_seen (GRUB
    against GRUB with the next entry selected), ratio, seen_ratio, ok."""
    d = theme_dir(name)
    if d is None:
        raise grub_shot.Skip("theme %s is not installed (Debian: grub-theme-%s)" % (name, name))
    count = ENTRY_COUNT.get(name, 5)
    os.makedirs(OUT, exist_ok=True)
    log = lambda m: print("# " + m)  # noqa: E731
    # Every file is the variant's own: the two variants of a theme run at the same time (meson
    # runs two tests at once) and must not read a picture the other is writing.
    tag = name + ("-countdown" if countdown else "")
    grub = os.path.join(OUT, "%s-grub.png" % tag)
    calib_grub = os.path.join(OUT, "%s-calib.png" % tag) if countdown else grub
    grub_next = os.path.join(OUT, "%s-grub-next.png" % tag)
    grub_shot.shot(d, calib_grub, SELECT, SIZE, count, log=log)
    grub_shot.shot(d, grub_next, SELECT + 1, SIZE, count, log=log)
    calib, _, _, calib_seen = score(calib_grub, grub_next)
    if countdown:
        name = tag
        _, left = grub_shot.shot(d, grub, SELECT, SIZE, count, log=log, timeout=COUNTDOWN_FROM,
                                 at=COUNTDOWN_AT)
    ours = os.path.join(OUT, "%s-ours.png" % name)
    if countdown:
        render(d, ours, SELECT, count, COUNTDOWN_FROM, left)
    else:
        render(d, ours, SELECT, count)
    s, worst, where, seen = score(grub, ours, "--heat", os.path.join(OUT, "%s-heat.png" % name))
    if docs and name in DOCS_THEMES:
        shots = os.path.join(REPO, "docs", "screenshots")
        os.makedirs(shots, exist_ok=True)
        score(grub, ours, "--pair", os.path.join(shots, "grubcmp-%s.png" % name), "800")
        x, y, w, h = DOCS_THEMES[name]
        score(grub, ours, "--pair", os.path.join(shots, "grubcmp-%s-list.png" % name),
              str(2 * w + 4), "--crop", str(x), str(y), str(w), str(h))
    if calib <= 0 or calib_seen <= 0:
        raise RuntimeError("GRUB's picture did not change visibly with the selected entry: "
                           "the calibration is void")
    r = {"score": s, "worst": worst, "where": where, "seen": seen, "calib": calib,
         "calib_seen": calib_seen, "ratio": s / calib, "seen_ratio": seen / calib_seen}
    r["ok"] = r["ratio"] < THRESHOLD and r["seen_ratio"] < THRESHOLD
    return r


def check(name, countdown=False):
    try:
        r = compare(name, countdown=countdown)
    except grub_shot.Skip as e:
        print("SKIP: %s" % e)
        return 77
    print("%s - %s: score %.3f, %d visible cells (worst %.1f at %s); GRUB's own one-row "
          "highlight change: %.3f, %d cells; ratios %.2f and %.2f (pass: both below %.2f)" % (
              "ok" if r["ok"] else "not ok", name + (" counting down" if countdown else ""),
              r["score"], r["seen"], r["worst"], r["where"],
              r["calib"], r["calib_seen"], r["ratio"], r["seen_ratio"], THRESHOLD))
    print("# pictures: %s/%s%s-{grub,ours,heat}.png" % (OUT, name,
                                                        "-countdown" if countdown else ""))
    return 0 if r["ok"] else 1


def docs(names):
    rows = []
    for name in names:
        for countdown in (False, True):
            try:
                r = compare(name, not countdown, countdown)
            except grub_shot.Skip as e:
                print("# %s skipped: %s" % (name, e))
                continue
            rows.append("| %s | %.2f | %d | %.2f | %d | %.2f | %.2f | %s |" % (
                name + (", counting down" if countdown else ""), r["score"], r["seen"],
                r["calib"], r["calib_seen"], r["ratio"], r["seen_ratio"],
                "yes" if r["ok"] else "no"))
    print("| Theme | Score | Visible cells | GRUB's one-row change: score | cells | Ratio "
          "| Cells ratio | Passes |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


def all_themes():
    local = sorted(os.listdir(os.path.join(HERE, "themes"))) if os.path.isdir(
        os.path.join(HERE, "themes")) else []
    return ["starfield", "breeze"] + local


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        try:
            return check(sys.argv[2], "--countdown" in sys.argv[3:])
        except Exception as e:  # a broken harness is an error (99), never an expected failure
            print("ERROR: %s: %s" % (type(e).__name__, e))
            return 99
    if len(sys.argv) >= 2 and sys.argv[1] == "docs":
        return docs(sys.argv[2:] or all_themes())
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
