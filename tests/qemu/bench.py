#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot-time and size figures (printed, not pass/fail): `meson test --benchmark` or run directly.

- initramfs sizes: without modules and with the default module set (compressed as shipped);
- for N boots of the Debian kernel in QEMU (TCG) with three test disks: guest monotonic time from
  /init start to the first menu frame, to the menu with its entries, and to the menu with every
  present device listed (the last device change), read from the trace channel."""

import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
import vm as V  # noqa: E402


def sizes(art):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for name, extra in (("without modules", ["--no-modules"]), ("default modules", [])):
            img = os.path.join(d, "i.img")
            t = time.time()
            log = V.run([os.path.join(V.REPO, "initramfs/mkinitramfs"), "-o", img, "--binary",
                         V.BINARY, "--kernel", art.vmlinuz, "--modules", art.modules] + extra)
            out[name] = (os.path.getsize(img), time.time() - t, log.strip().splitlines()[-1])
    return out


ALL_DEVICES = 6


def boot_once(art, i):
    vm = V.VM("bench_%d" % i, art, vga="none")
    vm.drives = e2e.standard_disks(vm, e2e.CONFIG)
    vm.start()
    try:
        wall = vm.wait_trace("menu ready entries=5 .*unresolved=0") and vm.elapsed()
        # Every device listed: the three disks, the two partitions of the GPT disk and the
        # CD-ROM drive of QEMU's pc machine.
        vm.wait_boot_event("devices n=%d$" % ALL_DEVICES)
        vm.wait_boot_event("init coldplug done")
        t = lambda rx: [ts for ts, _ in vm.trace_lines(rx)]  # noqa: E731
        init = t("init start")[0]
        return {"first frame": t("frame first")[0] - init,
                "menu with entries": t("menu ready entries=[1-9]")[0] - init,
                "all devices listed": t("devices n=%d$" % ALL_DEVICES)[0] - init,
                "coldplug done": t("init coldplug done")[0] - init,
                "wall to menu": wall}
    finally:
        vm.stop()


def main():
    V.require_tools()
    runs = int(os.environ.get("KL_BENCH_RUNS", "3"))
    art = V.Artefacts().prepare()
    print("kernel %s, accel %s" % (art.kver, V.accel()))
    for name, (size, secs, line) in sizes(art).items():
        print("initramfs %-16s %9d bytes = %.2f MiB (built in %.1f s)" % (
            name, size, size / 1048576, secs))
    results = [boot_once(art, i) for i in range(runs)]
    print("boot figures over %d runs (guest seconds after /init started; median, min-max):" % runs)
    for key in results[0]:
        vals = [r[key] for r in results]
        print("  %-20s %.3f s  (%.3f-%.3f)" % (key, statistics.median(vals), min(vals), max(vals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
