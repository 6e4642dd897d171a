# SPDX-License-Identifier: GPL-2.0-or-later
"""Memory bounds (issue 14): hostile inputs made at test time, each run of `kexec-loader list
--json` or `render` measured with GNU time (`/usr/bin/time -v`): its maximum resident set, CPU
and wall time are printed (docs/reliability.md, "Memory bounds") and the resident set is asserted
under a generous bound, with the items kept and the diagnostic that says what was cut; the menu is
then shown to stay usable (the text menu in a pty, or the frame drawn by `render` compared with
the same theme without the hostile part). CPU time is asserted only far above what is measured
(the machine running the tests may be busy); wall time is printed, never asserted.

Big files go to $KL_BOUNDS_DIR (the build directory) and are deleted after each scenario.

Usage: test_bounds.py [SCENARIO...] (all when none)."""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kltest import (BINARY, Failure, Fixture, Term, check, fake_kernel, run_scenarios,  # noqa: E402
                    write)

GNU_TIME = "/usr/bin/time"
MiB = 1024 * 1024
# CPU seconds no case comes near (the slowest measured 2.4 s, docs/reliability.md): only a
# runaway loop or a quadratic cost fails it.
CPU_LIMIT = 60.0


def sanitized():
    """A sanitizer build reserves terabytes and keeps shadow memory: its resident set says nothing
    about the program's own bounds, so only the counts and diagnostics are checked there."""
    with open(BINARY, "rb") as f:
        data = f.read()
    return b"__asan_init" in data or b"__ubsan_handle" in data


def measured(args, timeout=600):
    """Runs kexec-loader ARGS under `/usr/bin/time -v`: (completed process, {"rss_mb", "cpu_s",
    "wall_s"})."""
    if not os.access(GNU_TIME, os.X_OK):
        raise Failure("%s is missing (Debian package time; .ci/run installs it)" % GNU_TIME)
    fd, out = tempfile.mkstemp(prefix="kl-time-")
    os.close(fd)
    try:
        p = subprocess.run([GNU_TIME, "-v", "-o", out, BINARY] + list(args), capture_output=True,
                           timeout=timeout)
        with open(out) as f:
            report = f.read()
    finally:
        os.unlink(out)
    st = {}
    for line in report.splitlines():
        key, _, val = line.strip().rpartition(": ")
        if key == "Maximum resident set size (kbytes)":
            st["rss_mb"] = int(val) / 1024
        elif key == "User time (seconds)":
            st["cpu_s"] = st.get("cpu_s", 0) + float(val)
        elif key == "System time (seconds)":
            st["cpu_s"] = st.get("cpu_s", 0) + float(val)
        elif key.startswith("Elapsed (wall clock) time"):
            parts = [float(x) for x in val.split(":")]
            st["wall_s"] = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
    if len(st) != 3:
        raise Failure("no figures from %s -v: %r" % (GNU_TIME, report[-1000:]))
    return p, st


def bounded(what, st, rss_mb):
    """Prints the figures of one case and checks its resident set and CPU time."""
    print("# %s: max RSS %.1f MB, CPU %.2f s, wall %.2f s" %
          (what, st["rss_mb"], st["cpu_s"], st["wall_s"]))
    sys.stdout.flush()
    check(st["cpu_s"] < CPU_LIMIT, "%s: %.1f s of CPU" % (what, st["cpu_s"]))
    if not sanitized():
        check(st["rss_mb"] < rss_mb, "%s: %.1f MB resident, the bound is %d MB"
              % (what, st["rss_mb"], rss_mb))


def list_json(what, fx, rss_mb, extra=()):
    import json
    p, st = measured(["list", "--json"] + fx.args() + list(extra))
    if p.returncode != 0:
        raise Failure("%s: list exited %d: %s" % (what, p.returncode, p.stderr.decode()[-2000:]))
    bounded(what, st, rss_mb)
    return json.loads(p.stdout.decode())


def has_diag(j, fs, file, line, message):
    want = {"fs": fs, "file": file, "line": line, "message": message}
    check(want in j["diagnostics"], "diagnostic %r not in %r" % (want, j["diagnostics"][:10]))


# ---- PNG reading (the frames `render` writes: 8-bit RGB or RGBA, not interlaced) ----

def png_pixels(path):
    """(width, height, rows of bytes) of a PNG written by kexec-loader (libpng, any filter)."""
    with open(path, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "%s is not a PNG" % path)
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            check(depth == 8 and ctype in (2, 6) and not interlace, "PNG kind %r" % (body,))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ft == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ft == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif ft == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ft == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 0xFF
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def same_menu(ref_png, got_png, what):
    """The frame drawn with a hostile theme is the frame of the same theme without the hostile
    part, but for the notes under the menu (THEME_HEAD's boot_menu ends at 70 % of the height):
    the menu is there and usable, the diagnostic is drawn."""
    w, h, ref = png_pixels(ref_png)
    w2, h2, got = png_pixels(got_png)
    check((w, h) == (w2, h2), "%s: frame size %dx%d" % (what, w2, h2))
    band = h * 7 // 10
    differ = [y for y in range(h) if ref[y] != got[y]]
    check(differ and min(differ) >= band,
          "%s: the frame differs from the theme's own in rows %s (the notes are from row %d)"
          % (what, differ[:5] + differ[-5:], band))


# ---- Inputs ----

def png_header(w, h):
    """A PNG whose IHDR says w x h, with a few bytes of pixel data."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def jpeg_header(w, h):
    """A baseline JPEG whose frame header says w x h: tables, the scan header, 64 bytes of data."""
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    sof = (b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, h, w, 3) +
           b"\x01\x22\x00\x02\x11\x00\x03\x11\x00")
    dht = (b"\xff\xc4" + struct.pack(">H", 38) + b"\x00" + bytes([1] + [0] * 15) + b"\x00" +
           b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    sos = b"\xff\xda" + struct.pack(">HB", 12, 3) + b"\x01\x00\x02\x00\x03\x00\x00\x3f\x00"
    return b"\xff\xd8" + dqt + sof + dht + sos + b"\0" * 64 + b"\xff\xd9"


def tga_header(w, h):
    """An uncompressed 32-bit TGA whose header says w x h, with 4 pixels of data."""
    return struct.pack("<BBBHHBHHHHBB", 0, 0, 2, 0, 0, 0, 0, 0, w, h, 32, 8) + b"\x80" * 16


THEME_HEAD = ('desktop-color: "#203040"\n'
              '+ boot_menu { left = 10% top = 10% width = 80% height = 60%\n'
              '  item_color = "#e0e0e0" selected_item_color = "#ffffff" }\n')


def menu_fs(fx, entries=("Alpha", "Beta")):
    a = fx.add_fs("a", dev="/dev/sda1")
    write(os.path.join(a, "boot/grub/grub.cfg"),
          "".join("menuentry '%s' {\n  linux /boot/vmlinuz\n}\n" % e for e in entries))
    return a


def render(what, fx, theme, out, rss_mb, size="640x480"):
    log = out + ".log"
    p, st = measured(["render", "--out", out, "--size", size, "--theme", theme, "--log", log] +
                     fx.args())
    if p.returncode != 0:
        raise Failure("%s: render exited %d: %s" % (what, p.returncode, p.stderr.decode()[-2000:]))
    bounded(what, st, rss_mb)
    with open(log, errors="replace") as f:
        return f.read()


def scenario_theme_image_headers():
    """PNG, JPEG and TGA files whose headers say 60000x60000 (a few bytes of data) as the desktop
    image and as an image component: refused from the header, before any pixel memory, with the
    diagnostic at theme.txt's line; the frame is the theme's own with the desktop colour. The
    same files saying 16384x2048 (within the limits: the whole budget of 32 Mi pixels, 128 MiB)
    are refused as damaged from their size (their data cannot hold that many pixels), the same
    way."""
    fx = Fixture()
    menu_fs(fx)
    try:
        ref = os.path.join(fx.root, "ref")
        write(os.path.join(ref, "theme.txt"), THEME_HEAD)
        render("theme without images", fx, ref, os.path.join(fx.root, "ref.png"), 64)
        # 60000x60000: over the limits; 16384x2048 (within them: 32 Mi pixels, the whole 128 MiB
        # budget) in a few bytes: damaged, as the file's size cannot hold them. Nothing decoded.
        for w, h in ((60000, 60000), (16384, 2048)):
            for ext, make in (("png", png_header), ("jpg", jpeg_header), ("tga", tga_header)):
                data, name = make(w, h), "i%d.%s" % (w, ext)
                d = os.path.join(fx.root, "t-%d-%s" % (w, ext))
                write(os.path.join(d, name), data, "wb")
                write(os.path.join(d, "theme.txt"),
                      'desktop-image: "%s"\n' % name + THEME_HEAD +
                      '+ image { left = 0 top = 0 width = 10 height = 10 file = "%s" }\n' % name)
                out = os.path.join(fx.root, "%d-%s.png" % (w, ext))
                log = render("%dx%d %s header (%d bytes)" % (w, h, ext.upper(), len(data)), fx, d,
                             out, 64)
                why = ("is 60000x60000 pixels, larger than the 16384x16384 limit" if w > 16384 else
                       "is damaged: its %d bytes cannot hold 16384x2048 pixels (at most "
                       % len(data))
                for line, use in ((1, "the desktop colour is drawn instead"), (5, "not drawn")):
                    want = "%s/theme.txt:%d: %s %s" % (d, line, name, why)
                    check(any(want in ln and use in ln for ln in log.splitlines()),
                          "%s: %r (%s) not in the log:\n%s" % (name, want, use, log[-3000:]))
                same_menu(os.path.join(fx.root, "ref.png"), out, name)
    finally:
        fx.cleanup()


def scenario_theme_components():
    """theme.txt files of 10 000 and 100 000 components (empty labels, which draw nothing, each
    drawn on every frame) and of canvases nested 50 000 deep, each followed by the boot_menu:
    4096 components kept, the boot_menu too, the cut said at its line; the frame is the theme's
    own (the menu there) but for the notes."""
    fx = Fixture()
    menu_fs(fx)
    try:
        ref = os.path.join(fx.root, "ref")
        write(os.path.join(ref, "theme.txt"), THEME_HEAD)
        render("theme of one boot_menu", fx, ref, os.path.join(fx.root, "ref.png"), 64)
        cases = (("10 000 labels", "+label{}\n" * 10000, 4098,
                  'more than 4096 components: "+ label" and the ones after it are ignored'),
                 ("100 000 labels", "+label{}\n" * 100000, 4098,
                  'more than 4096 components: "+ label" and the ones after it are ignored'),
                 ("canvases nested 50 000 deep", "+canvas{\n" * 50000 + "}" * 50000 + "\n", 34,
                  '"+ canvas": components nested more than 32 deep (ignored with what it holds)'))
        for i, (what, body, line, msg) in enumerate(cases):
            d = os.path.join(fx.root, "t%d" % i)
            text = 'desktop-color: "#203040"\n' + body + THEME_HEAD[len('desktop-color: "#203040"\n'):]
            write(os.path.join(d, "theme.txt"), text)
            out = os.path.join(fx.root, "t%d.png" % i)
            log = render("theme.txt of %s (%d KB)" % (what, len(text) // 1024), fx, d, out, 64)
            want = "%s/theme.txt:%d:" % (d, line)
            check(any(want in ln and msg in ln for ln in log.splitlines()),
                  "%s: %r at %s not in the log:\n%s" % (what, msg, want, log[-3000:]))
            same_menu(os.path.join(fx.root, "ref.png"), out, what)
    finally:
        fx.cleanup()


def grub_shapes(n):
    """grub.cfg texts of about n bytes, each after a first entry: many menu entries, one huge
    line, if-blocks nested n/14 deep, braces nested n/4 deep, a variable grown to 32 KiB then
    expanded by every command."""
    head = "menuentry First {\n  linux /boot/vmlinuz\n}\n"
    entry = "menuentry 'E%d' {\n  linux /boot/vmlinuz root=/dev/sda1 quiet\n}\n"
    k = n // len(entry % 99999)
    yield "menu entries", head + "".join(entry % i for i in range(k)), k + 1
    yield "one line", head + "set x=" + "a" * (n - 60) + "\n", 1
    yield "nested if", head + "if true; then\n" * (n // 17) + "fi\n" * (n // 17), 1
    yield "nested braces", head + "{\n" * (n // 4) + "}\n" * (n // 4), 1
    grow = "set a=x\n" + "set a=$a$a$a$a$a$a$a$a\n" * 5
    rep = "set b=$a$a$a\n"
    yield "expansion", head + grow + rep * ((n - len(grow)) // len(rep)), 1


def scenario_grub_cfg_100mb():
    """A 100 MB grub.cfg of menu entries is not read (the bound of one file: 4 MiB), with a
    diagnostic naming it and the bound; each shape just under the bound (entries, one line,
    nesting, expansion) is read within its bounds, with the diagnostic at its line; the other
    filesystem's entry is listed and the text menu shows both."""
    fx = Fixture()
    a = fx.add_fs("a", dev="/dev/sda1")
    b = fx.add_fs("b", dev="/dev/sdb1")
    write(os.path.join(b, "boot/grub/grub.cfg"), "menuentry Other {\n  linux /boot/vmlinuz\n}\n")
    cfg = os.path.join(a, "boot/grub/grub.cfg")
    os.makedirs(os.path.dirname(cfg))
    try:
        entry = "menuentry 'E' {\n  linux /boot/vmlinuz root=/dev/sda1 quiet\n}\n"
        with open(cfg, "w") as f:
            chunk = entry * (MiB // len(entry))
            for _ in range(100):
                f.write(chunk)
        size = os.path.getsize(cfg)
        j = list_json("grub.cfg of %d MB" % (size // 1000000), fx, 32)
        check([e["title"] for e in j["entries"]] == ["Other"], repr(j["entries"][:3]))
        has_diag(j, "/dev/sda1", "/boot/grub/grub.cfg", None,
                 "larger than 4194304 bytes: not read")
        expect = {"menu entries": (4096, "more than 4096 boot entries on this filesystem: "
                                   "%d more are not listed", None),
                  "one line": (1, "a word longer than 65536 bytes: command not run "
                               "(further ones not reported)", 4),
                  "nested if": (1, "blocks nested deeper than 64 levels: this one skipped "
                                "(to line %d)", 68),
                  "nested braces": (1, "blocks nested deeper than 64 levels: this one skipped "
                                    "(to line %d)", 68),
                  "expansion": (1, "more than 268435456 bytes of words made, script stopped",
                                4105)}
        for what, text, n_entries in grub_shapes(4 * MiB - 4096):
            write(cfg, text)
            # 96 MB: 19 to 25 times the file's size, which its tokens took (103 to 112 MB) until
            # they were freed after parsing and made 8 bytes each (73 to 78 MB now).
            j = list_json("grub.cfg of %s (%d KB)" % (what, len(text) // 1024), fx, 96)
            n, msg, line = expect[what]
            titles = [e["title"] for e in j["entries"]]
            check(len(titles) == n + 1 and titles[0] == "First" and titles[-1] == "Other",
                  "%s: %d entries: %r" % (what, len(titles), titles[:3] + titles[-3:]))
            if what == "menu entries":
                msg %= n_entries - 4096
            elif "%d" in msg:
                msg %= text.count("\n") - 64  # the 65th block ends 64 lines before the end
            has_diag(j, "/dev/sda1", "/boot/grub/grub.cfg", line, msg)
        # The menu with the most entries, in the text front end: usable, the cut said.
        write(cfg, next(grub_shapes(4 * MiB - 4096))[1])
        t = Term(fx.args(), cols=100, rows=30)
        try:
            t.wait_for("First")
            t.wait_for("more than 4096 boot entries")
            t.send("end")
            t.wait_for("Other")
            t.send("up")
            t.wait_for("E4094")
        finally:
            t.close()
    finally:
        fx.cleanup()


def scenario_bls_100000():
    """100 000 BLS entry files in loader/entries: the newest 1024 by file name are read (as
    systemd-boot lists them), the directory's diagnostic says how many older ones are not listed;
    the text menu shows the newest first and the diagnostic. The files go to /dev/shm where there
    is one: on a busy disk, removing 100 000 files took 256 s (creating them 20 to 33 s)."""
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    saved, tempfile.tempdir = tempfile.tempdir, shm or tempfile.tempdir
    try:
        fx = Fixture()
    finally:
        tempfile.tempdir = saved
    a = fx.add_fs("a", dev="/dev/sda1")
    entries = os.path.join(a, "loader/entries")
    os.makedirs(entries)
    try:
        start = time.time()
        for i in range(100000):
            with open(os.path.join(entries, "fedora-6.%d.0.conf" % i), "w") as f:
                f.write("title Fedora %d\nversion 6.%d.0\nlinux /boot/vmlinuz\n"
                        "options root=/dev/sda1 quiet\n" % (i, i))
        print("# 100 000 entry files written in %.1f s" % (time.time() - start))
        j = list_json("100 000 BLS entries", fx, 64)
        titles = [e["title"] for e in j["entries"]]
        check(len(titles) == 1024 and titles[0] == "Fedora 99999" and titles[-1] == "Fedora 98976",
              "the newest 1024: %r" % (titles[:2] + titles[-2:]))
        has_diag(j, "/dev/sda1", "/loader/entries", None,
                 "more than 1024 entries: 98976 older ones by file name "
                 "(from fedora-6.98975.0.conf) not listed")
        start = time.time()
        t = Term(fx.args(), cols=100, rows=30)
        try:
            t.wait_for("Fedora 99999")
            t.wait_for("98976 older ones")
            t.send("end")
            t.wait_for("Fedora 98976")
        finally:
            t.close()
        print("# the text menu: %.1f s" % (time.time() - start))
    finally:
        start = time.time()
        fx.cleanup()
        print("# 100 000 entry files removed in %.1f s" % (time.time() - start))


def make_small_iso(path, tree):
    write(os.path.join(tree, "boot/grub/loopback.cfg"),
          "menuentry 'Live' {\n  linux /vmlinuz boot=live findiso=$iso_path\n}\n")
    fake_kernel(os.path.join(tree, "vmlinuz"), 4096)
    r = subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", "LIVE", "-o",
                        path, tree], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise Failure("xorriso: %s" % r.stdout.decode(errors="replace")[-2000:])


def scenario_iso_10000():
    """10 000 ISO files (one small real image hard-linked into 100 folders) on the stick: 256 are
    listed, the search stops with a diagnostic naming the bound, the folder and the first file
    not listed; the text menu shows the first
    ISO's entry and the diagnostic."""
    if shutil.which("xorriso") is None:
        print("SKIP: xorriso is not installed")
        sys.exit(77)
    fx = Fixture()
    s = fx.add_fs("stick", dev="/dev/sdb1", kernel=False)
    write(os.path.join(s, ".kexec-loader-stick"), "stick\n")
    try:
        one = os.path.join(fx.root, "one.iso")
        make_small_iso(one, os.path.join(fx.root, "tree"))
        for d in range(100):
            os.makedirs(os.path.join(s, "isos/d%02d" % d))
            for i in range(100):
                os.link(one, os.path.join(s, "isos/d%02d/live-%02d-%02d.iso" % (d, d, i)))
        j = list_json("10 000 ISO files", fx, 64)
        subs = [e["submenu"][0] for e in j["entries"]]
        check(len(subs) == 256 and subs[0] == "live-00-00.iso" and subs[-1] == "live-02-55.iso",
              "256 ISO files listed in order: %r" % (subs[:2] + subs[-2:]))
        # The folder where the walk stopped is the diagnostic's file, the 257th ISO its text.
        has_diag(j, "/dev/sdb1", "/isos/d02", None,
                 "the search for ISO files stopped at live-02-56.iso: more ISO files than are "
                 "listed (at most 256 ISO files, 64 disk images, 65536 directory entries)")
        t = Term(fx.args(), cols=100, rows=30)
        try:
            t.wait_for("live-00-00.iso")
            t.wait_for("the search for ISO files stopped at live-02-56.iso")
        finally:
            t.close()
    finally:
        fx.cleanup()


SCENARIOS = {k[len("scenario_"):]: v for k, v in globals().items() if k.startswith("scenario_")}


def main():
    tempfile.tempdir = os.environ.get("KL_BOUNDS_DIR") or None
    if tempfile.tempdir:
        os.makedirs(tempfile.tempdir, exist_ok=True)
    return run_scenarios(SCENARIOS, sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
