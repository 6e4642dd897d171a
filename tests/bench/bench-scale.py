#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Scale (issue 14): the cost of `kexec-loader list --json` and of the menu (`kexec-loader render`,
one full 1920x1080 frame of the default theme written as PNG) with 1, 10, 100 and 1000 boot
entries (grub.cfg menuentries; BLS entry files), filesystems (one `--fs DIR` each, one grub.cfg
entry on each) and ISO files (one small xorriso image, hard-linked; at most 256 are listed per
filesystem, src/core/isoscan.h, so they are spread over ceil(N/250) filesystems).

Printed, never pass/fail on a time (the machine may be busy): the CPU time of the child
(user + system, from wait4's rusage), the median of ROUNDS runs, the sizes interleaved within
each round so that a change of load hits every size alike. For each kind: the cost per item
t(N)/N, the marginal cost (t(N)-t(1))/(N-1) (t(1) is mostly start-up), and the ratio of the
marginal costs at 1000 and at 100 and 10 items: flat (linear) means near 1, quadratic means near
10 and 100. The listing is checked (the number of entries), so a fixture that stops working
fails the benchmark rather than measuring nothing.

Usage: bench-scale.py [--rounds R] [--sizes 1,10,100,1000] [--kinds grub,bls,fs,iso]
                      [--against OTHER-KEXEC-LOADER]
Env: KEXEC_LOADER (meson sets it)."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from kltest import fake_kernel, write  # noqa: E402

BINARY = os.environ.get("KEXEC_LOADER", "build/src/kexec-loader")
ISO_PER_FS = 250  # under ISOSCAN_MAX_ISOS (256)


def grub_entry(i, fs="a"):
    return ("menuentry 'Linux %s%d' {\n  linux /boot/vmlinuz root=/dev/sda1 quiet\n"
            "  initrd /boot/initrd.img\n}\n" % (fs, i))


class Fixture:
    """One fixture directory per (kind, size): the --fs arguments and the entries expected."""

    def __init__(self, root, kind, n, iso_image):
        self.dir = os.path.join(root, "%s-%d" % (kind, n))
        self.fs = []
        self.expected = n
        getattr(self, "make_" + kind)(n, iso_image)

    def add_fs(self, name, dev, kernel=True):
        d = os.path.join(self.dir, name)
        os.makedirs(d)
        if kernel:
            fake_kernel(os.path.join(d, "boot/vmlinuz"))
            write(os.path.join(d, "boot/initrd.img"), "initrd\n")
        self.fs.append("%s,dev=%s" % (d, dev))
        return d

    def make_grub(self, n, _):
        d = self.add_fs("a", "/dev/sda1")
        write(os.path.join(d, "boot/grub/grub.cfg"), "".join(grub_entry(i) for i in range(n)))

    def make_bls(self, n, _):
        d = self.add_fs("a", "/dev/sda1")
        for i in range(n):
            write(os.path.join(d, "loader/entries/linux-%04d.conf" % i),
                  "title Linux %d\nversion 6.1.0-%d-amd64\nlinux /boot/vmlinuz\n"
                  "initrd /boot/initrd.img\noptions root=/dev/sda1 quiet\n" % (i, i))

    def make_fs(self, n, _):
        for i in range(n):
            d = self.add_fs("d%04d" % i, "/dev/vd%s1" % disk_letters(i))
            write(os.path.join(d, "boot/grub/grub.cfg"), grub_entry(0, "d%d-" % i))

    def make_iso(self, n, iso_image):
        for k in range((n + ISO_PER_FS - 1) // ISO_PER_FS):
            d = self.add_fs("i%d" % k, "/dev/vd%s1" % disk_letters(k), kernel=False)
            os.makedirs(os.path.join(d, "isos"))
            for i in range(k * ISO_PER_FS, min(n, (k + 1) * ISO_PER_FS)):
                os.link(iso_image, os.path.join(d, "isos/live-%04d.iso" % i))

    def args(self):
        out = []
        for spec in self.fs:
            out += ["--fs", spec]
        return out


def disk_letters(i):
    """vda, vdb, ..., vdz, vdaa, ...: the kernel's names for the i-th disk."""
    s = ""
    i += 1
    while i > 0:
        i, r = divmod(i - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def make_iso_image(path):
    tree = path + ".tree"
    fake_kernel(os.path.join(tree, "casper/vmlinuz"))
    write(os.path.join(tree, "casper/initrd"), "INITRD\n")
    write(os.path.join(tree, "boot/grub/loopback.cfg"),
          "menuentry 'Try it' {\n  linux /casper/vmlinuz boot=casper "
          "iso-scan/filename=${iso_path} quiet\n  initrd /casper/initrd\n}\n")
    r = subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", "LIVE",
                        "-o", path, tree], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit("xorriso failed: %s" % r.stdout.decode(errors="replace"))
    shutil.rmtree(tree)


def run(cmd, out_path):
    """Runs cmd with stdout to out_path; returns (CPU seconds of the child, wall seconds)."""
    with open(out_path, "wb") as out:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("%s exited %d: %s" % (" ".join(cmd[:3]), p.returncode,
                                      err.decode(errors="replace")[-2000:]))
    return ru.ru_utime + ru.ru_stime, wall


def table(cpu, wall, b, k, c, sizes, names):
    med = {n: statistics.median(cpu[b, k, n, c]) for n in sizes}
    print("\n%s, %s:" % ({"list": "list --json", "menu": "render (menu)"}[c], names[k]))
    print("  %6s %10s %10s %12s %14s" % ("N", "CPU ms", "wall ms", "ms/item", "marginal ms"))
    marg = {}
    for n in sizes:
        m = (med[n] - med[sizes[0]]) / (n - sizes[0]) if n > sizes[0] else None
        marg[n] = m
        print("  %6d %10.1f %10.1f %12.4f %14s" % (
            n, med[n] * 1e3, statistics.median(wall[b, k, n, c]) * 1e3, med[n] * 1e3 / n,
            "%.4f" % (m * 1e3) if m is not None else "-"))
    big = sizes[-1]
    ratios = ["marginal %d/%d: %.2f" % (big, s, marg[big] / marg[s])
              for s in sizes[1:-1] if marg[s] and marg[s] > 0 and marg[big]]
    print("  ratio " + ("; ".join(ratios) if ratios else "-") +
          "  (flat: near 1; quadratic: near %s)" %
          ", ".join("%d" % (big // s) for s in sizes[1:-1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", default="1,10,100,1000")
    ap.add_argument("--kinds", default="grub,bls,fs,iso")
    ap.add_argument("--keep", action="store_true", help="keep the fixtures (printed)")
    ap.add_argument("--against", metavar="BINARY",
                    help="another kexec-loader (a build before a change), measured in the same "
                         "rounds: its tables too, and the ratios")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    kinds = a.kinds.split(",")
    if "iso" in kinds and shutil.which("xorriso") is None:
        print("SKIP: xorriso is not installed (the ISO files are not measured)")
        kinds.remove("iso")
    root = tempfile.mkdtemp(prefix="kl-bench-scale-")
    try:
        sysfs = os.path.join(root, "sysfs")  # an empty sysfs: the host's hardware is not read
        os.makedirs(sysfs)
        iso = os.path.join(root, "live.iso")
        if "iso" in kinds:
            make_iso_image(iso)
        fx = {(k, n): Fixture(root, k, n, iso) for k in kinds for n in sizes}
        bins = [BINARY] + ([a.against] if a.against else [])
        cmds = {
            "list": lambda b, f: [b, "list", "--json", "--sysfs", sysfs] + f.args(),
            "menu": lambda b, f: [b, "render", "--out", os.path.join(root, "menu.png"),
                                  "--size", "1920x1080", "--sysfs", sysfs] + f.args(),
        }
        # Check each fixture once: the entries expected are listed.
        for (k, n), f in fx.items():
            for b in bins:
                out = os.path.join(root, "list.json")
                run(cmds["list"](b, f), out)
                with open(out) as fp:
                    j = json.load(fp)
                got = len(j["entries"])
                if got != f.expected:
                    sys.exit("%s with %d: %d entries listed, expected %d (diagnostics %r)"
                             % (k, n, got, f.expected, j["diagnostics"][:3]))
        keys = [(b, k, n, c) for b in bins for k in kinds for n in sizes for c in cmds]
        cpu = {key: [] for key in keys}
        wall = {key: [] for key in keys}
        for r in range(a.rounds):
            for c in cmds:
                for k in kinds:
                    for n in sizes:
                        for b in bins:
                            t, w = run(cmds[c](b, fx[k, n]), os.path.join(root, "out"))
                            cpu[b, k, n, c].append(t)
                            wall[b, k, n, c].append(w)
        load = os.getloadavg()
        print("%d rounds, median CPU time (user+system) of the child; load average after the run "
              "%.1f %.1f %.1f, %d CPUs" % (a.rounds, *load, os.cpu_count()))
        names = {"grub": "grub.cfg entries", "bls": "BLS entries",
                 "fs": "filesystems (--fs, 1 entry each)", "iso": "ISO files"}
        for b in bins:
            print("\n=== %s" % b)
            for c in cmds:
                for k in kinds:
                    table(cpu, wall, b, k, c, sizes, names)
        if a.against:
            print("\n=== %s / %s, CPU time (median) per size" % (BINARY, a.against))
            for c in cmds:
                for k in kinds:
                    print("  %-12s %-34s %s" % (c, names[k], "  ".join(
                        "%d: %.2f" % (n, statistics.median(cpu[BINARY, k, n, c]) /
                                      statistics.median(cpu[a.against, k, n, c]))
                        for n in sizes)))
    finally:
        if a.keep:
            print("fixtures kept in", root)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
