#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kexec-loader against real GRUB 2 (Debian's grub-pc-bin / grub-efi-amd64-bin), side by side in
QEMU (TCG), measured the same way for both: printed figures, never pass/fail.
`meson test -C build --benchmark bench-grub` or run directly:

  bench-grub.py [keys] [poweron]      (both by default)

keys: key to frame. Both machines run at once (SeaBIOS, -device VGA with vgamem_mb=64 and its
  EDID's preferred mode set to the size with xres/yres): GRUB from a grub-mkrescue image
  (gfxmode=WxH, gfxterm, the theme), kexec-loader on the Debian kernel with its initramfs and a
  disk holding the very same grub.cfg and theme. The same menu (grub_shot.ENTRIES), no countdown.
  For each key, only the machine measured runs (QMP stop/cont: the other one does not eat the
  CPU), and the two alternate key by key. A key is QMP send-key Down (or Up, back); the time is
  from just before send-key to the end of the first QMP screendump (PPM on tmpfs) showing the
  picture the screen then keeps (unchanged for KEY_SETTLE s: a frame drawn in several steps
  counts when it is whole). Screendumps are taken back to back, so the resolution is one
  screendump (its cost is printed). For kexec-loader the guest's own figure is printed too: the
  trace's "menu selected=" (key handled) to "frame selected=" (frame written). KL_BENCH_KEYS
  keys at 1920x1080 (default 20), KL_BENCH_KEYS_4K at 3840x2160 (default 6); KL_BENCH_THEMES
  (default "starfield default": each at 1920x1080, the first at 3840x2160), KL_BENCH_SIZES
  (default "1920x1080 3840x2160").

poweron: power-on to a usable themed menu, from a stick, under SeaBIOS and under OVMF (Debian's
  OVMF_CODE_4M.fd, Secure Boot off). GRUB's stick: grub-mkrescue's hybrid image (BIOS and UEFI)
  with the grub.cfg and theme above. kexec-loader's stick: initramfs/mkstick (syslinux; shim,
  Debian's signed GRUB, the kernel), and beside it a disk with the same grub.cfg and theme (the
  installed system's, as a user's machine has it). Both at 1920x1080. The time is from starting
  QEMU to the end of the first screendump equal to the settled menu (the screen unchanged for
  KL_BENCH_SETTLE seconds, default 8, after the menu), polled every POWERON_POLL s.
  kexec-loader's time is broken down from the serial console (firmware and boot loader messages
  as they arrive), SeaBIOS's log (QEMU's debug console), the trace channel (guest monotonic
  times, mapped to the host's clock by their arrival) and QEMU's clock. The reads from the
  disks (QEMU's -trace virtio_blk_handle_read, host-timed) are counted, a figure the load does
  not change: for kexec-loader those before the kernel's clock zero (the firmware's and the boot
  loader's: the kernel and the initramfs), for GRUB those before its menu.
  KL_BENCH_BOOTS boots of each (default 1), alternating. KL_BENCH_FAT="32" (or "16 32"): one
  more kexec-loader stick per value, made with mkstick --fat N, booted in the same rounds (the
  layout of mkstick before December 2026 was --fat 32's).
KL_BENCH_NICE: the nice level both QEMUs run at (default 19; 0 when the machine's other work runs
  at nice 19, e.g. a fuzz campaign, so the figures are not its leftovers)."""

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "grubcmp"))
import e2e  # noqa: E402
import grub_shot  # noqa: E402
import vm as V  # noqa: E402

COUNT = 5  # menu entries
THEMES = {"starfield": "/usr/share/grub/themes/starfield",
          "default": os.path.join(V.REPO, "themes", "default")}
SHM = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
GRUB_MODULES = grub_shot.MODULES
KEY_TIMEOUT = 300
# kexec-loader's command line: GRUB's scale (100 %, as GRUB draws), and no_timer_check: on a
# loaded host the kernel's early IO-APIC timer check may fail under TCG and panic ("IO-APIC +
# timer doesn't work"), which says nothing about the menu.
KL_APPEND = "kexec_scale=1 no_timer_check"
# A frame is there when the picture stays as it is for this long (seconds) after the key.
KEY_SETTLE = 1.5
# Between power-on screendumps: each holds QEMU's big lock (the guest's I/O waits), so polling
# back to back would slow the boots measured.
POWERON_POLL = 0.5
# A boot under TCG on a loaded host takes minutes (the waits end when the menu is there).
POWERON_TIMEOUT = 1200
# kexec-loader's menu with the grub.cfg's entries (under OVMF one more: the firmware's setup)
MENU_READY = r"menu ready entries=([5-9]|\d\d)"


def grub_cfg(theme_dir, size):
    """The one grub.cfg both read: Debian's grub-mkconfig order (the video modules, gfxmode,
    unicode then the theme's fonts, gfxterm, the theme), no countdown, entries with the commands
    kexec-loader needs to list them (GRUB only shows them). GRUB's menu goes to the serial port
    too, as kexec-loader's does (its text menu on the serial console): it says when GRUB has
    drawn its menu (grub_shot.py). Paths without a device: GRUB reads
    them from $root (its image), kexec-loader from the disk the file is on."""
    t = "/boot/grub/themes/t"
    lines = ["insmod all_video", "insmod gfxterm", "insmod gfxmenu", "insmod png", "insmod jpeg",
             "insmod tga", "serial --unit=0 --speed=115200", "set gfxmode=%s" % size,
             "set gfxpayload=keep", "loadfont unicode"]
    lines += ["loadfont %s/%s" % (t, f) for f in grub_shot.theme_fonts(theme_dir)]
    lines += ["terminal_output gfxterm serial", "set theme=%s/theme.txt" % t, "set timeout=-1",
              "set timeout_style=menu", "set default=0"]
    return "\n".join(lines) + "\n" + grub_shot.menu_entries(COUNT, True)


def tree_files(root, prefix):
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            out[os.path.join(prefix, os.path.relpath(p, root))] = open(p, "rb").read()
    return out


def menu_disk(vm, theme_dir, size):
    """The installed system's disk: ext4 with /boot/grub/grub.cfg, the theme, a kernel."""
    files = {"boot/vmlinuz": open(vm.art.vmlinuz, "rb").read(),
             "boot/grub/grub.cfg": grub_cfg(theme_dir, size)}
    files.update(tree_files(theme_dir, "boot/grub/themes/t"))
    return V.ext4_image(vm.path("menu.img"), files, "KLMENU", size_mb=64)


def grub_image(work, theme_dir, size, platforms):
    """A grub-mkrescue image (an ISO that is also a disk: a stick) with the grub.cfg and theme.
    platforms: the GRUB directories (i386-pc; with x86_64-efi it boots under UEFI too)."""
    root = os.path.join(work, "iso")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(theme_dir, os.path.join(root, "boot/grub/themes/t"))
    with open(os.path.join(root, "boot/grub/grub.cfg"), "w") as f:
        f.write(grub_cfg(theme_dir, size))
    img = os.path.join(work, "grub.img")
    cmd = ["grub-mkrescue", "--themes=", "--locales=", "--install-modules=" + GRUB_MODULES]
    if platforms == ["i386-pc"]:
        cmd += ["-d", "/usr/lib/grub/i386-pc"]
    V.run(cmd + ["-o", img, root])
    return img


def display(size):
    w, h = size.split("x")
    return ["-device", "VGA,vgamem_mb=64,xres=%s,yres=%s" % (w, h)]


def nice_qemu(vm):
    """QEMU at the priority KL_BENCH_NICE (default 19, the lowest: the machine is shared; 0 when
    the other work runs at nice 19, so both machines measured get the CPU they ask for)."""
    subprocess.run(["renice", "-n", os.environ.get("KL_BENCH_NICE", "19"), "-p",
                    str(vm.proc.pid)], capture_output=True)


# ---- screendumps ----

class Screen:
    """QMP screendumps of one machine to a PPM on tmpfs: (start, end, (w, h), pixels)."""

    def __init__(self, vm, tag):
        self.vm = vm
        self.file = os.path.join(SHM, "kl-bench-%d-%s.ppm" % (os.getpid(), tag))
        self.costs = []

    def grab(self):
        t0 = time.monotonic()
        self.vm.qmp("screendump", filename=self.file)
        with open(self.file, "rb") as f:
            data = f.read()
        t1 = time.monotonic()
        self.costs.append(t1 - t0)
        parts = data.split(b"\n", 3)
        w, h = (int(x) for x in parts[1].split())
        return t0, t1, (w, h), parts[3]

    def settle(self, size, quiet_s, ready=lambda: True, timeout=POWERON_TIMEOUT, unlike=None):
        """Screendumps until the picture has the size, is not `unlike`, has not changed for
        quiet_s seconds, and ready() held once since it last changed; returns it."""
        want = tuple(int(x) for x in size.split("x"))
        end = time.monotonic() + timeout
        last, since, seen_ready = None, None, False
        while True:
            _, t1, wh, px = self.grab()
            if wh != want or px != last or px == unlike:
                last, since, seen_ready = (px if wh == want else None), t1, False
            elif not seen_ready:
                seen_ready = ready()
            elif t1 - since >= quiet_s:
                return px
            if time.monotonic() > end or self.vm.proc.poll() is not None:
                raise V.Failure("%s: the screen did not settle at %s" % (self.vm.name, size))
            time.sleep(0.05)

    @staticmethod
    def save_ppm(px, size, name):
        """A picture kept beside the logs, as a PPM."""
        w, h = size.split("x")
        ppm = os.path.join(V.WORK, "bench-grub", name + ".ppm")
        os.makedirs(os.path.dirname(ppm), exist_ok=True)
        with open(ppm, "wb") as f:
            f.write(b"P6\n%s %s\n255\n" % (w.encode(), h.encode()) + px)

    def close(self):
        try:
            os.unlink(self.file)
        except OSError:
            pass


def grub_waits_for_key(vm):
    """GRUB's menu is on the serial port (so drawn on gfxterm before) and GRUB polls the
    keyboard through the BIOS (int 16h) in real mode, which nothing else does once the menu is
    up (see grub_shot.py)."""
    if grub_shot.ENTRIES[COUNT - 1][0][:40] not in vm.serial_text():
        return False
    regs = vm.qmp("human-monitor-command", **{"command-line": "info registers"})
    m = re.search(r"CR0=([0-9a-f]+)", regs)
    return bool(m) and not int(m.group(1), 16) & 1


# ---- key to frame ----

class Side:
    def __init__(self, name, vm, screen):
        self.name, self.vm, self.screen = name, vm, screen
        self.pictures = {}
        self.sel = 0
        self.times, self.first_change, self.cycles, self.internal = [], [], [], []
        self.same = []  # the settled picture was the one learnt for that selection


def boot_side(side, size, ready):
    side.vm.start()
    nice_qemu(side.vm)
    side.pictures[0] = side.screen.settle(size, 3, ready)
    side.vm.send_key("down")
    side.pictures[1] = side.screen.settle(size, 3, ready, unlike=side.pictures[0])
    for sel in (0, 1):
        side.screen.save_ppm(side.pictures[sel], size, "%s-%d" % (side.vm.name, sel))
    side.sel = 1
    side.vm.qmp("stop")


def one_key(side, kl):
    """One key on a machine that runs only now; the times of the key to frame."""
    vm, scr = side.vm, side.screen
    want = 1 - side.sel
    before = side.pictures[side.sel]
    vm.qmp("cont")
    time.sleep(0.3)  # the guest back in its key loop after cont
    key = "down" if want == 1 else "up"
    t0 = time.monotonic()
    vm.send_key(key)
    first, prev_end, last, since = None, t0, None, None
    while True:
        t_start, t_end, _, px = scr.grab()
        if first is None:
            if px != before:
                first, last, since = t_end - t0, px, (t_end, t_end - prev_end)
        elif px != last:
            last, since = px, (t_end, t_end - prev_end)
        elif t_end - since[0] >= KEY_SETTLE:
            break
        if t_end - t0 > KEY_TIMEOUT:
            raise V.Failure("%s: the picture after %s never settled" % (side.name, key))
        prev_end = t_end
    side.times.append(since[0] - t0)
    side.first_change.append(first)
    side.cycles.append(since[1])
    side.same.append(last == side.pictures[want])
    if kl:
        t_key = vm.wait_trace("menu selected=%d " % want)[0]
        t_frame = vm.wait_trace("frame selected=%d$" % want)[0]
        side.internal.append(t_frame - t_key)
    vm.qmp("stop")
    side.sel = want


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def keys_run(art, theme, size, n):
    print("## key to frame: theme %s at %s, %d keys each" % (theme, size, n))
    theme_dir = THEMES[theme]
    tag = "%s-%s" % (theme, size)
    work = os.path.join(V.WORK, "bench-grub", tag)
    os.makedirs(work, exist_ok=True)
    img = grub_image(work, theme_dir, size, ["i386-pc"])
    gvm = V.VM("bench_grub_keys_%s" % tag, art, vga="none", kernel=False, extra=display(size))
    gvm.drives = [["-drive", "file=%s,format=raw,if=virtio,snapshot=on" % img]]
    kvm = V.VM("bench_kl_keys_%s" % tag, art, vga="none", extra=display(size),
               append=KL_APPEND)
    kvm.drives = [V.Disk(menu_disk(kvm, theme_dir, size))]
    grub = Side("GRUB", gvm, Screen(gvm, "grub"))
    kl = Side("kexec-loader", kvm, Screen(kvm, "kl"))
    try:
        t = time.monotonic()
        boot_side(grub, size, lambda: grub_waits_for_key(gvm))
        print("# GRUB's menu up and learnt in %.0f s" % (time.monotonic() - t))
        t = time.monotonic()
        boot_side(kl, size, lambda: kvm.trace_count("menu ready entries=%d " % COUNT) > 0
                  and kvm.trace_count("frontend graphics screens=card0") > 0)
        print("# kexec-loader's menu up and learnt in %.0f s" % (time.monotonic() - t))
        for i in range(n):
            one_key(grub, False)
            one_key(kl, True)
            print("# key %d: GRUB %.3f s, kexec-loader %.3f s (guest %.1f ms)" % (
                i + 1, grub.times[-1], kl.times[-1], kl.internal[-1] * 1000))
    finally:
        for s in (grub, kl):
            s.vm.stop()
            s.screen.close()
    g, k = med(grub.times), med(kl.times)
    res = med(kl.screen.costs + grub.screen.costs)
    print("%s %s: key to frame, median of %d (external: send-key to the screendump showing "
          "the new frame):" % (theme, size, n))
    for s in (grub, kl):
        print("  %-13s %7.1f ms (min %.1f, max %.1f; first change %.1f ms; last poll cycle "
              "%.1f ms)" % (s.name, med(s.times) * 1000, min(s.times) * 1000,
                            max(s.times) * 1000, med(s.first_change) * 1000,
                            med(s.cycles) * 1000))
    print("  kexec-loader inside the guest (menu selected= to frame selected=): %.2f ms "
          "(min %.2f, max %.2f)" % (med(kl.internal) * 1000, min(kl.internal) * 1000,
                                    max(kl.internal) * 1000))
    print("  settled pictures equal to the ones learnt first: GRUB %d/%d, kexec-loader %d/%d" % (
        sum(grub.same), n, sum(kl.same), n))
    print("  screendump (QMP screendump + read of the PPM): median %.1f ms = the method's "
          "resolution" % (res * 1000))
    print("  ratio GRUB / kexec-loader: %.1fx (goal >= 10x)" % (g / k))
    return {"theme": theme, "size": size, "n": n, "grub": g, "kl": k, "ratio": g / k,
            "internal": med(kl.internal), "dump": res}


# ---- power-on ----

class Arrivals:
    """Host times (time.time()) at which a channel's bytes arrived: for each chunk (time, end
    offset). What came before the hook is dated by the hook (an upper bound)."""

    def __init__(self, ch):
        self.ch = ch
        with ch.cond:
            self.marks = [(time.time(), len(ch.data))]
            prev = ch.on_data

            def on_data(data):
                self.marks.append((time.time(), len(ch.data)))
                if prev:
                    prev(data)

            ch.on_data = on_data

    def time_of(self, text):
        """When the first occurrence of text (bytes) had arrived whole, or None."""
        with self.ch.cond:
            i = bytes(self.ch.data).find(text)
        if i < 0:
            return None
        for t, end in self.marks:
            if end >= i + len(text):
                return t
        return None

    def trace_offset(self):
        """Host time of the guest's monotonic zero: the smallest (arrival - guest time) over the
        trace lines (a line arrives after it is written)."""
        with self.ch.cond:
            data = bytes(self.ch.data)
        best = None
        for m in re.finditer(rb"^\[\s*(\d+\.\d+)\] [^\n]*\n", data, re.M):
            for t, end in self.marks[1:]:
                if end >= m.end():
                    d = t - float(m.group(1))
                    best = d if best is None or d < best else best
                    break
        return best


# Firmware and boot loader messages (the serial console; SeaBIOS's log on QEMU's debug console,
# port 0x402): (name in the table, channel, text).
MILESTONES = [("SeaBIOS: boot from the stick", "debugcon", b"Booting from Hard Disk"),
              ("syslinux: started", "serial", b"SYSLINUX "),
              ("GRUB (the stick's, UEFI): started", "serial", b"Welcome to GRUB"),
              ("OVMF: boot loader started", "serial", b"BdsDxe: starting"),
              ("kernel: EFI stub", "serial", b"EFI stub: ")]


def disk_reads(path, until):
    """(reads, sectors) in QEMU's virtio_blk_handle_read trace (-msg timestamp=on: lines
    "PID@SECONDS.MICROSECONDS:virtio_blk_handle_read ... nsectors N") before the host time until."""
    n = sectors = 0
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"\d+@(\d+\.\d+):virtio_blk_handle_read .* nsectors (\d+)", line)
            if m and float(m.group(1)) < until:
                n += 1
                sectors += int(m.group(2))
    return n, sectors


def poweron_once(art, system, fw, theme_dir, size, settle_s, grub_img, kl_stick, tag):
    name = "bench_poweron_%s_%s_%s" % (system, fw, tag)
    vm = V.VM(name, art, vga="none", kernel=False, uefi=fw == "uefi", extra=display(size))
    vm.extra += ["-trace", "virtio_blk_handle_read,file=" + vm.path("reads.log"),
                 "-msg", "timestamp=on"]
    shutil.copy(grub_img if system == "grub" else kl_stick, vm.path("stick.img"))
    stick = ["-drive", "file=%s,format=raw,if=virtio,snapshot=on" % vm.path("stick.img")]
    disk = V.Disk(menu_disk(vm, theme_dir, size))
    vm.drives = [stick, disk]  # the stick first: SeaBIOS boots the first disk
    debugcon = V.Channel("debugcon", vm.path("debugcon.sock"))
    vm.extra += ["-chardev", "socket,id=dcon,path=%s" % debugcon.sock_path,
                 "-device", "isa-debugcon,iobase=0x402,chardev=dcon"]
    scr = Screen(vm, "poweron")
    shots = []
    vm.start()
    nice_qemu(vm)
    t_start = vm.t0  # just before QEMU was started
    debugcon.accept(vm.proc, time.monotonic() + 30)
    chans = {"serial": Arrivals(vm.serial), "debugcon": Arrivals(debugcon)}
    trace = Arrivals(vm.trace_ch)
    want = tuple(int(x) for x in size.split("x"))
    try:
        end = time.monotonic() + POWERON_TIMEOUT
        last_change = None
        while True:
            _, _, wh, px = scr.grab()
            t1 = time.time()
            if not shots or shots[-1][1] != wh or shots[-1][2] != px:
                shots.append((t1, wh, px))
                last_change = t1
            ready = wh == want and (system == "grub" or vm.trace_count(MENU_READY) > 0)
            if ready and t1 - last_change >= settle_s:
                break
            if time.monotonic() > end:
                raise V.Failure("%s: no settled menu" % name)
            time.sleep(POWERON_POLL)
        out = {"menu on the screen": shots[-1][0] - t_start}
        sized = [s for s in shots if s[1] == want]
        out["first picture at the menu's size"] = sized[0][0] - t_start
        for key, ch, text in MILESTONES:
            t = chans[ch].time_of(text)
            if t is not None:
                out[key] = t - t_start
        if system == "grub":
            out["(reads before the menu)"], out["(sectors read)"] = disk_reads(
                vm.path("reads.log"), shots[-1][0])
        else:
            z = trace.trace_offset()
            out["(reads before start_kernel)"], out["(sectors read)"] = disk_reads(
                vm.path("reads.log"), z)
            first = lambda rx: vm.trace_lines(rx)[0][0] if vm.trace_count(rx) else None  # noqa
            out["kernel: clock zero (start_kernel)"] = z - t_start
            for key, rx in (("kexec-loader: /init started", "init start"),
                            ("kexec-loader: first frame", "frame first"),
                            ("kexec-loader: config read", "config found"),
                            ("kexec-loader: menu with its entries", MENU_READY),
                            ("kexec-loader: on the DRM card", "frontend graphics screens=card0"),
                            ("kexec-loader: coldplug done", "init coldplug done")):
                g = first(rx)
                if g is not None:
                    out[key] = g + z - t_start
        out["(screendump, ms)"] = med(scr.costs) * 1000
        return out, shots[-1][2]
    finally:
        vm.stop()
        debugcon.close()
        scr.close()


def kl_stick(art, args=()):
    """mkstick's stick with the sample configuration (no entries: the disk's grub.cfg gives
    them); the serial console and trace channel on the command line, as the QEMU tests have."""
    return e2e.make_stick(art, "bench_grub_stick", append=e2e.STICK_APPEND + " " + KL_APPEND,
                          args=args)


def poweron(art, theme, size, boots):
    theme_dir = THEMES[theme]
    work = os.path.join(V.WORK, "bench-grub", "poweron")
    os.makedirs(work, exist_ok=True)
    gimg = grub_image(work, theme_dir, size, ["i386-pc", "x86_64-efi"])
    sticks = {"kl": os.path.join(work, "kl-stick.img")}
    os.replace(kl_stick(art), sticks["kl"])
    for fat in os.environ.get("KL_BENCH_FAT", "").split():
        sticks["kl-fat" + fat] = os.path.join(work, "kl-stick-fat%s.img" % fat)
        os.replace(kl_stick(art, ["--fat", fat]), sticks["kl-fat" + fat])
    settle = float(os.environ.get("KL_BENCH_SETTLE", "8"))
    results = {}
    for fw in ("bios", "uefi"):
        for i in range(boots):
            for system in ["grub"] + list(sticks):
                r, final = poweron_once(art, system, fw, theme_dir, size, settle, gimg,
                                        sticks.get(system), "%s_%d" % (theme, i))
                results.setdefault((fw, system), []).append(r)
                Screen.save_ppm(final, size, "poweron-%s-%s" % (fw, system))
                print("# %s %s boot %d: %s" % (fw, system, i + 1, ", ".join(
                    "%s %.2f" % (k, v) for k, v in sorted(r.items(), key=lambda kv: kv[1]))))
    print("power-on to the themed menu (%s at %s; QEMU started to the end of the first "
          "screendump equal to the settled menu; median of %d boots each):" % (theme, size,
                                                                               boots))
    for fw in ("bios", "uefi"):
        g = med([r["menu on the screen"] for r in results[(fw, "grub")]])
        k = med([r["menu on the screen"] for r in results[(fw, "kl")]])
        print("  %s: GRUB %.1f s, kexec-loader %.1f s: %s first" % (
            "SeaBIOS" if fw == "bios" else "OVMF", g, k, "kexec-loader" if k < g else "GRUB"))
        for system in ["grub"] + list(sticks):
            rs = results[(fw, system)]
            print("    %s (seconds after QEMU started):" % (
                "GRUB" if system == "grub" else "kexec-loader" + system[2:]))
            keys = sorted(rs[0], key=lambda k: rs[0][k] if not k.startswith("(") else 1e9)
            for key in keys:
                vals = [r[key] for r in rs if key in r]
                print("      %-40s %7.2f" % (key, med(vals)))
    return results


def main():
    # a benchmark stopped (meson's timeout, ^C) stops its QEMUs too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    V.require_tools()
    miss = grub_shot.missing_tools()
    if miss:
        print("SKIP: missing " + ", ".join(miss))
        return 77
    what = sys.argv[1:] or ["keys", "poweron"]
    art = V.Artefacts().prepare()
    load = open("/proc/loadavg").read().split()[:3]
    print("kernel %s, accel %s, %s, load average %s on %d CPUs" % (
        art.kver, V.accel(), grub_shot.grub_version()[0], " ".join(load), os.cpu_count()))
    themes = os.environ.get("KL_BENCH_THEMES", "starfield default").split()
    if "keys" in what:
        n = int(os.environ.get("KL_BENCH_KEYS", "20"))
        n4 = int(os.environ.get("KL_BENCH_KEYS_4K", "6"))
        sizes = os.environ.get("KL_BENCH_SIZES", "1920x1080 3840x2160").split()
        for size in sizes:
            # every theme at 1920x1080; at 3840x2160 (slow under TCG) the first only
            for theme in themes if size == "1920x1080" else themes[:1]:
                keys_run(art, theme, size, n if size == "1920x1080" else n4)
    if "poweron" in what:
        poweron(art, themes[0], "1920x1080", int(os.environ.get("KL_BENCH_BOOTS", "1")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
