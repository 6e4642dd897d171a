# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end test machinery: the Debian kernel, our initramfs, test disks made with mkfs, and
QEMU (TCG) driven through its serial port and QMP.

Artefacts that every scenario shares (kernel, initramfs, second-stage initrd) are built once per
binary into $KL_QEMU_WORK (under the build directory), guarded by a lock so that parallel tests
build them once."""

import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid

import pyte

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
BINARY = os.path.abspath(os.environ.get("KEXEC_LOADER", os.path.join(REPO, "build/src/kexec-loader")))
STAGE2 = os.path.abspath(os.environ.get("KL_STAGE2_INIT",
                                        os.path.join(REPO, "build/tests/stage2-init")))
WORK = os.path.abspath(os.environ.get("KL_QEMU_WORK", os.path.join(os.path.dirname(BINARY),
                                                                   "..", "qemu-work")))
SKIP = 77


class Failure(Exception):
    pass


class Skip(Exception):
    """A scenario that cannot run here (a tool or package missing): e2e.py exits 77 with the
    reason when every scenario it ran was skipped."""


def log(msg):
    print("# " + msg)
    sys.stdout.flush()


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise Failure("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p.stdout


def have(tool):
    return shutil.which(tool) is not None


def require_tools():
    missing = [t for t in ("qemu-system-x86_64", "mkfs.ext4", "mkfs.vfat", "mcopy", "sfdisk",
                           "depmod", "cpio") if not have(t)]
    if missing:
        print("SKIP: missing tools: " + ", ".join(missing))
        sys.exit(SKIP)


def accel():
    """TCG, unless KVM is really usable (vmx/svm and a writable /dev/kvm): see qemu-testing.md."""
    try:
        flags = open("/proc/cpuinfo").read()
    except OSError:
        flags = ""
    if re.search(r"\b(vmx|svm)\b", flags) and os.access("/dev/kvm", os.W_OK):
        return "kvm"
    return "tcg"


# ---- shared artefacts ----

def cpio_newc(files):
    """A newc cpio archive (bytes) of [(name, mode, data)]; directories have data None."""
    out = bytearray()
    ino = 1
    for name, mode, data in files + [("TRAILER!!!", 0, b"")]:
        data = data or b""
        nb = name.encode() + b"\0"
        hdr = "070701" + "".join("%08X" % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0))
        out += hdr.encode() + nb
        out += b"\0" * ((4 - len(out) % 4) % 4)
        out += data
        out += b"\0" * ((4 - len(out) % 4) % 4)
        ino += 1
    return bytes(out)


class Artefacts:
    def __init__(self):
        self.kver = self.vmlinuz = self.modules = self.kroot = None
        self.initramfs = os.path.join(WORK, "initramfs.img")
        self.stage2 = os.path.join(WORK, "stage2.img")

    def prepare(self):
        os.makedirs(WORK, exist_ok=True)
        with open(os.path.join(WORK, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._kernel()
            self._initramfs()
            self._stage2()
        return self

    def _kernel(self):
        out = run([os.path.join(REPO, "initramfs/get-kernel")])
        env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        self.kver, self.vmlinuz, self.modules = env["KVER"], env["VMLINUZ"], env["MODULES"]
        self.kroot = env["KROOT"]  # for modprobe -d: the kernel's modules in load order

    def _stamp(self):
        h = hashlib.sha256()
        kexec = shutil.which("kexec", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
        for p in (BINARY, os.path.join(REPO, "initramfs/mkinitramfs"), self.vmlinuz, kexec):
            if p is None:
                continue
            h.update(open(p, "rb").read())
        return h.hexdigest()

    def _initramfs(self):
        stamp_file = self.initramfs + ".stamp"
        stamp = self._stamp()
        if os.path.exists(self.initramfs) and os.path.exists(stamp_file) \
                and open(stamp_file).read() == stamp:
            return
        t = time.time()
        out = run([os.path.join(REPO, "initramfs/mkinitramfs"), "-o", self.initramfs,
                   "--binary", BINARY, "--kernel", self.vmlinuz, "--modules", self.modules])
        log("built the initramfs in %.1f s: %s" % (time.time() - t, out.strip().splitlines()[-1]))
        open(stamp_file, "w").write(stamp)

    def _stage2(self):
        data = open(STAGE2, "rb").read()
        img = gzip.compress(cpio_newc([("dev", 0o40755, None), ("proc", 0o40755, None),
                                       ("init", 0o100755, data)]), 6, mtime=0)
        if not os.path.exists(self.stage2) or open(self.stage2, "rb").read() != img:
            open(self.stage2, "wb").write(img)


# ---- test disks ----

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Disk:
    """A disk image made with mkfs from a dict {path: bytes or str}."""

    def __init__(self, path):
        self.path = path
        self.checksum = None

    def seal(self):
        self.checksum = sha256(self.path)
        return self

    def unchanged(self):
        return sha256(self.path) == self.checksum


def _tree(root, files):
    for rel, data in files.items():
        p = os.path.join(root, rel.lstrip("/"))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(data, str):
            data = data.encode()
        with open(p, "wb") as f:
            f.write(data)


def ext4_image(path, files, label, uuid=None, size_mb=48):
    tree = path + ".d"
    shutil.rmtree(tree, ignore_errors=True)
    _tree(tree, files)
    with open(path, "wb") as f:
        f.truncate(size_mb << 20)
    cmd = ["mkfs.ext4", "-q", "-F", "-L", label, "-d", tree]
    if uuid:
        cmd += ["-U", uuid]
    run(cmd + [path])
    shutil.rmtree(tree)
    return path


def vfat_image(path, files, label, volid=None, size_mb=48):
    with open(path, "wb") as f:
        f.truncate(size_mb << 20)
    cmd = ["mkfs.vfat", "-n", label]
    if volid:
        cmd += ["-i", volid]
    run(cmd + [path])
    dirs = set()
    for rel in files:
        parts = rel.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    for d in sorted(dirs):
        run(["mmd", "-i", path, "::/" + d])
    tmp = path + ".f"
    for rel, data in files.items():
        with open(tmp, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        run(["mcopy", "-i", path, tmp, "::/" + rel.strip("/")])
    os.unlink(tmp)
    return path


def gpt_image(path, parts, size_mb=112):
    """parts: [(name, partition image path[, type GUID])]. Partitions start at 1 MiB, each sized
    to its image; the type is Linux filesystem unless given (the ESP: C12A7328-…)."""
    with open(path, "wb") as f:
        f.truncate(size_mb << 20)
    script = "label: gpt\n"
    start = 2048
    layout = []
    for part in parts:
        name, img = part[0], part[1]
        ptype = part[2] if len(part) > 2 else "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
        sectors = os.path.getsize(img) // 512
        script += 'start=%d, size=%d, type=%s, name="%s"\n' % (start, sectors, ptype, name)
        layout.append((start, img))
        start += sectors
    subprocess.run(["sfdisk", "-q", path], input=script, text=True, check=True,
                   capture_output=True)
    with open(path, "r+b") as f:
        for start, img in layout:
            f.seek(start * 512)
            with open(img, "rb") as src:
                shutil.copyfileobj(src, f)
    return path


# ---- QEMU ----

# Every wait has a timeout, but only as a safety net against a hung guest: a wait ends when what
# it waits for happens, so a busy machine makes a run slower, never wrong.
TIMEOUT = float(os.environ.get("KL_QEMU_TIMEOUT", "300"))


class Channel:
    """One byte stream from the guest (a serial port): QEMU connects to a socket we listen on and
    a thread reads it whole (QEMU also writes it to a log file).

    `cursor` is where the next wait starts to look. A wait that finds what it waits for moves the
    cursor past it; an action (a key, a hot-plug) moves it to the end of what has arrived so far
    (mark), so that what the action waits for can only be matched by output that came after
    it."""

    def __init__(self, name, sock_path):
        self.name = name
        self.data = bytearray()
        self.cursor = 0
        self.closed = False
        self.cond = threading.Condition()
        self.on_data = None  # called with each chunk, under cond
        self.sock_path = sock_path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(sock_path)
        self.listener.listen(1)
        self.sock = None

    def accept(self, proc, deadline):
        self.listener.settimeout(0.5)
        while True:
            try:
                self.sock, _ = self.listener.accept()
                break
            except socket.timeout:
                if proc.poll() is not None or time.monotonic() > deadline:
                    return False
        self.sock.settimeout(None)
        self.listener.close()
        threading.Thread(target=self._reader, daemon=True).start()
        return True

    def _reader(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            with self.cond:
                if not data:
                    self.closed = True
                    self.cond.notify_all()
                    return
                self.data += data
                if self.on_data:
                    self.on_data(data)
                self.cond.notify_all()

    def mark(self):
        with self.cond:
            self.cursor = max(self.cursor, len(self.data))

    def text(self):
        with self.cond:
            return self.data.decode(errors="replace")

    def wait(self, step, timeout, what):
        """Calls step(data, cursor, scanned) under the lock each time data arrives, until it
        returns (new cursor, result); `scanned` is what it returned as its third value before (a
        resume point, so a long stream is not searched again from the cursor at every byte)."""
        end = time.monotonic() + timeout
        scanned = None
        with self.cond:
            while True:
                r = step(self.data, self.cursor, scanned)
                if r[0] is not None:
                    self.cursor = r[0]
                    return r[1]
                scanned = r[2]
                if self.closed:
                    raise Failure("%s: the guest is gone (QEMU exited)" % what)
                left = end - time.monotonic()
                if left <= 0:
                    raise Failure("%s: not there after %.0f s" % (what, timeout))
                self.cond.wait(left)

    def close(self):
        for s in (self.sock, self.listener):
            if s:
                try:
                    s.close()
                except OSError:
                    pass


TRACE_LINE = re.compile(rb"^\[\s*(\d+\.\d+)\] (.*?)\r?$")


def trace_step(rxs):
    """A Channel.wait step that finds, for each regex of rxs, the first complete trace line
    matching it that starts at or after the cursor (a line already half there when the cursor
    was set is not after it). Done when each has one; the cursor then goes past the last."""

    def step(data, cursor, scanned):
        if scanned is None:
            pos, found = cursor, [None] * len(rxs)
            if pos > 0 and data[pos - 1:pos] != b"\n":
                nl = data.find(b"\n", pos)
                if nl < 0:
                    return None, None, None
                pos = nl + 1
        else:
            pos, found = scanned
        while True:
            nl = data.find(b"\n", pos)
            if nl < 0:
                return None, None, (pos, found)
            m = TRACE_LINE.match(bytes(data[pos:nl]))
            if m:
                text = m.group(2).decode(errors="replace")
                for i, rx in enumerate(rxs):
                    if found[i] is None and rx.search(text):
                        found[i] = (float(m.group(1)), text)
                if all(found):
                    return nl + 1, found, None
            pos = nl + 1

    return step


def text_step(needle):
    """A Channel.wait step that finds needle (bytes) at or after the cursor."""

    def step(data, cursor, scanned):
        start = cursor if scanned is None else max(cursor, scanned)
        i = data.find(needle, start)
        if i >= 0:
            return i + len(needle), i, None
        return None, None, max(cursor, len(data) - len(needle) + 1)

    return step


# OVMF as Debian's ovmf ships it: plain, and Secure Boot enforced with Microsoft's keys enrolled
# (its secboot code needs SMM, hence q35 with smm=on and a secure flash).
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
OVMF_CODE_SECBOOT = "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"
OVMF_VARS_MS = "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"


class VM:
    def __init__(self, name, art, append="", drives=(), vga="none", machine="pc", usb=False,
                 kernel=True, uefi=False, extra=(), secure_boot=False, vars_file=None,
                 reboot=False):
        """uefi: OVMF instead of SeaBIOS; secure_boot: OVMF's secboot code with Microsoft's keys
        (implies uefi and q35). vars_file: the firmware's variable store; made from the
        template when it does not exist, kept as it is when it does (to carry variables over
        to another VM: boot order, MOK requests), by default a fresh one in the run
        directory. reboot: a reset of the guest restarts the machine (its firmware reads the
        variables the guest wrote: BootNext, OsIndications) instead of ending QEMU; the guest
        must then power off (or the test stop it) for QEMU to exit."""
        self.name = name
        self.art = art
        self.dir = os.path.join(WORK, "runs", name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.append = append
        self.drives = list(drives)
        self.vga = vga
        self.machine = machine
        self.usb = usb
        self.kernel = kernel
        self.uefi = uefi or secure_boot
        self.secure_boot = secure_boot
        if secure_boot and machine == "pc":
            self.machine = "q35,smm=on"
        self.vars_file = vars_file or self.path("vars.fd")
        self.extra = list(extra)
        self.reboot = reboot
        self.proc = None
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.serial = self.trace_ch = self.debug = None
        self.qmp_file = None
        self.qmp_events = []
        self.t0 = None
        self.shots = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self):
        """Starts QEMU. Our sockets listen first and QEMU connects to them before the guest
        runs, so no byte of the console, the trace or the debug log is missed."""
        self.serial = Channel("serial console", self.path("serial.sock"))
        self.trace_ch = Channel("trace", self.path("trace.sock"))
        self.debug = Channel("debug log", self.path("debug.sock"))
        self.serial.on_data = self.stream.feed
        qmp_listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        qmp_listener.bind(self.path("qmp.sock"))
        qmp_listener.listen(1)
        cmd = ["qemu-system-x86_64", "-accel", accel(), "-m", "1G", "-smp", "1",
               "-display", "none", "-monitor", "none", "-M", self.machine, "-nic", "none"]
        if not self.reboot:
            cmd.append("-no-reboot")
        for i, (ch, log_name) in enumerate(((self.serial, "serial.log"),
                                            (self.trace_ch, "trace.log"),
                                            (self.debug, "debug.log"))):
            cmd += ["-chardev", "socket,id=s%d,path=%s,logfile=%s"
                    % (i, ch.sock_path, self.path(log_name)),
                    "-serial", "chardev:s%d" % i]
        cmd += ["-chardev", "socket,id=qmp,path=%s" % self.path("qmp.sock"),
                "-mon", "chardev=qmp,mode=control"]
        if self.vga == "none":
            cmd += ["-vga", "none"]
        else:
            cmd += ["-vga", self.vga]
        if self.usb:
            cmd += ["-device", "qemu-xhci,id=xhci"]
        if self.uefi:
            code, template = OVMF_CODE, OVMF_VARS
            if self.secure_boot:
                code, template = OVMF_CODE_SECBOOT, OVMF_VARS_MS
                cmd += ["-global", "driver=cfi.pflash01,property=secure,value=on"]
            if not os.path.exists(self.vars_file):
                shutil.copy(template, self.vars_file)
            cmd += ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + code,
                    "-drive", "if=pflash,format=raw,unit=1,file=" + self.vars_file]
        if self.kernel:
            cmd += ["-kernel", self.art.vmlinuz, "-initrd", self.art.initramfs,
                    "-append", "console=ttyS0,115200 quiet panic=-1 kexec_trace=/dev/ttyS1 "
                    # no_timer_check: on a loaded host the emulated guest can miss the kernel's
                    # check of the PIT timer through the IO-APIC ("IO-APIC + timer doesn't
                    # work!", a panic before init; seen twice at load 20)
                    "kexec_debug=/dev/ttyS2 no_timer_check " + self.append]
        for i, d in enumerate(self.drives):
            cmd += d if isinstance(d, list) else ["-drive", "file=%s,format=raw,if=virtio" % d.path]
        cmd += self.extra
        self.cmd = cmd
        self.t0 = time.time()
        self.proc = subprocess.Popen(cmd, stdout=open(self.path("qemu.out"), "wb"),
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        for ch in (self.serial, self.trace_ch, self.debug):
            if not ch.accept(self.proc, deadline):
                raise Failure("QEMU did not start:\n" + self.tail("qemu.out"))
        qmp_listener.settimeout(max(1, deadline - time.monotonic()))
        try:
            s, _ = qmp_listener.accept()
        except socket.timeout:
            raise Failure("QEMU did not connect its QMP monitor:\n" + self.tail("qemu.out"))
        finally:
            qmp_listener.close()
        self.qmp_sock = s
        self.qmp_file = s.makefile("rw")
        self.qmp_file.readline()  # greeting
        self.qmp("qmp_capabilities")
        return self

    def qmp(self, command, **args):
        msg = {"execute": command}
        if args:
            msg["arguments"] = args
        self.qmp_file.write(json.dumps(msg) + "\n")
        self.qmp_file.flush()
        while True:
            line = self.qmp_file.readline()
            if not line:
                raise Failure("QMP closed while waiting for %s" % command)
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise Failure("QMP %s: %s" % (command, reply["error"]))
            if "event" in reply:
                self.qmp_events.append(reply)

    def wait_qmp_event(self, name, timeout=TIMEOUT):
        """Waits for QMP event name (e.g. RESET: the guest reset the machine) and returns it; an
        event that came while a command was waiting for its reply counts. Events before it are
        dropped."""
        end = time.monotonic() + timeout
        while True:
            while self.qmp_events:
                ev = self.qmp_events.pop(0)
                if ev["event"] == name:
                    return ev
            left = end - time.monotonic()
            if left <= 0:
                raise Failure("no QMP event %s after %.0f s" % (name, timeout))
            self.qmp_sock.settimeout(left)
            try:
                line = self.qmp_file.readline()
            except (socket.timeout, OSError):
                raise Failure("no QMP event %s after %.0f s" % (name, timeout))
            finally:
                self.qmp_sock.settimeout(None)
            if not line:
                raise Failure("QMP closed while waiting for the event %s" % name)
            msg = json.loads(line)
            if "event" in msg:
                self.qmp_events.append(msg)

    # ---- actions: each marks the streams first, so that its waits see only what follows ----

    def mark(self):
        """Everything that arrived so far is before the next action: waits after it look only
        at what comes later. send(), send_key() and hotplug() call it; call it before any other
        action whose effect a wait looks for."""
        for ch in (self.serial, self.trace_ch, self.debug):
            ch.mark()

    def send(self, data):
        """Bytes typed on the serial console. No pause after them: whoever sends the next key
        first waits for the effect of this one (a lone Esc is only one when the menu has had
        time to see that nothing follows it, e.g. wait for 'screen menu' after it)."""
        if isinstance(data, str):
            data = data.encode()
        self.mark()
        self.serial.sock.sendall(data)

    def command(self, line):
        """A line for PID 1's test channel (kexec_test=commands, init.h): sent on the trace
        port, e.g. "kill SIGSEGV" or "state"."""
        self.mark()
        self.trace_ch.sock.sendall(line.encode() + b"\n")

    def send_key(self, *qcodes):
        """Keys pressed on the PS/2 keyboard (they reach the menu through evdev). QEMU queues
        them in order, each held for its hold time."""
        self.mark()
        for q in qcodes:
            keys = [{"type": "qcode", "data": k} for k in q.split("-")]
            self.qmp("send-key", keys=keys)

    def tap(self, x, y, width, height, display=None):
        """A tap of a tablet (usb-tablet, virtio-tablet) at pixel x, y of a width x height
        screen: QMP input-send-event moves the absolute pointer there (QEMU's axes run over
        0..0x7fff across the screen), then the left button goes down and up, each a report of
        its own. display: the id of a display device; the events go to the input device bound
        to it (-device ...,display=ID), else to the unbound one QEMU activated last."""
        self.mark()
        ax = round(x * 0x7fff / max(width - 1, 1))
        ay = round(y * 0x7fff / max(height - 1, 1))
        where = {"device": display} if display else {}
        self.qmp("input-send-event", events=[{"type": "abs", "data": {"axis": "x", "value": ax}},
                                             {"type": "abs", "data": {"axis": "y", "value": ay}}],
                 **where)
        for down in (True, False):
            self.qmp("input-send-event",
                     events=[{"type": "btn", "data": {"down": down, "button": "left"}}], **where)

    def swipe(self, x, y0, y1, width, height):
        """A swipe of the tablet from pixel x, y0 to x, y1: the pointer goes to the start, the
        left button goes down, the pointer moves to the end in four steps, the button goes up."""
        self.mark()
        ax = round(x * 0x7fff / max(width - 1, 1))

        def move(y):
            ay = round(y * 0x7fff / max(height - 1, 1))
            self.qmp("input-send-event",
                     events=[{"type": "abs", "data": {"axis": "x", "value": ax}},
                             {"type": "abs", "data": {"axis": "y", "value": ay}}])

        def button(down):
            self.qmp("input-send-event",
                     events=[{"type": "btn", "data": {"down": down, "button": "left"}}])

        move(y0)
        button(True)
        for i in range(1, 5):
            move(y0 + (y1 - y0) * i // 4)
        button(False)

    def hotplug(self, command, **args):
        """A QMP command that changes the machine (device_add, device_del...)."""
        self.mark()
        return self.qmp(command, **args)

    def screendump(self, tag):
        if self.vga == "none":
            return None
        self.shots += 1
        p = self.path("screen-%02d-%s.png" % (self.shots, tag))
        try:
            self.qmp("screendump", filename=p, format="png")
        except Failure:
            self.qmp("screendump", filename=p[:-3] + "ppm")
            p = p[:-3] + "ppm"
        return p

    def _pixels(self, base):
        """A screendump as (width, height, RGB bytes), from QEMU's PPM output; a PNG copy is kept
        beside it for people."""
        self.qmp("screendump", filename=base + ".ppm")
        try:
            self.qmp("screendump", filename=base + ".png", format="png")
        except Failure:
            pass
        data = open(base + ".ppm", "rb").read()
        parts = data.split(b"\n", 3)  # P6, "W H", 255, pixels
        w, h = (int(x) for x in parts[1].split())
        return w, h, parts[3]

    @staticmethod
    def color_rows(shot, rgb, tol=12):
        """Rows (y) that hold at least 20 pixels of colour rgb (within tol)."""
        w, h, px = shot
        rows = []
        for y in range(h):
            row = px[y * w * 3:(y + 1) * w * 3]
            n = 0
            for x in range(0, w * 3, 6):  # every other pixel is enough
                if abs(row[x] - rgb[0]) <= tol and abs(row[x + 1] - rgb[1]) <= tol and \
                        abs(row[x + 2] - rgb[2]) <= tol:
                    n += 1
            if n >= 10:
                rows.append(y)
        return rows

    # ---- what the guest said ----

    def trace(self):
        """The whole trace so far (for assertions about what happened; waits use wait_trace)."""
        return self.trace_ch.text().replace("\r", "") if self.trace_ch else ""

    def trace_lines(self, pattern):
        """Every trace line so far matching the regex, as (guest seconds, text): a look back,
        not a wait."""
        rx = re.compile(pattern)
        out = []
        for m in re.finditer(r"^\[\s*(\d+\.\d+)\] (.*)$", self.trace(), re.M):
            if rx.search(m.group(2)):
                out.append((float(m.group(1)), m.group(2)))
        return out

    def trace_count(self, pattern):
        return len(self.trace_lines(pattern))

    def text(self):
        with self.serial.cond:
            return "\n".join(self.screen.display)

    def serial_text(self):
        return self.serial.text()

    def wait_trace(self, pattern, timeout=TIMEOUT):
        """Waits for a trace line matching the regex that comes after the cursor (after the
        last line a wait found and after the last action); returns (guest seconds, line)."""
        return self.trace_ch.wait(trace_step([re.compile(pattern)]), timeout,
                                  "trace line /%s/" % pattern)[0]

    def wait_boot_event(self, pattern, timeout=TIMEOUT):
        """Waits for a trace line matching the regex anywhere in this boot's trace, without
        looking at or moving the cursor: for what happens once per boot whatever the test
        does (the end of the coldplug, the last device), never for the effect of an action.
        Returns (guest seconds, line)."""
        find = trace_step([re.compile(pattern)])

        def step(data, cursor, scanned):
            end, found, scanned = find(data, 0, scanned)
            return (cursor, found[0], None) if end is not None else (None, None, scanned)

        return self.trace_ch.wait(step, timeout, "trace line /%s/ in this boot" % pattern)

    def wait_trace_all(self, *patterns, timeout=TIMEOUT):
        """Waits for one trace line after the cursor for each regex, in any order (for events
        that no action orders); returns their (guest seconds, line) in the order given."""
        return self.trace_ch.wait(trace_step([re.compile(p) for p in patterns]), timeout,
                                  "trace lines %s" % ", ".join("/%s/" % p for p in patterns))

    def wait_screen(self, *texts, absent=(), timeout=TIMEOUT):
        """Waits until every text is on the serial screen (the terminal a person would look
        at) and no text of `absent` is. The screen is a state, not a stream: what a wait after
        an action looks for must be a state the action brings, not one the screen was already
        in (wait for the action's trace line first when in doubt); a redraw in progress is
        waited out."""

        def step(data, cursor, scanned):
            screen = "\n".join(self.screen.display)
            if all(t in screen for t in texts) and not any(t in screen for t in absent):
                return cursor, None, None
            return None, None, None

        what = " and ".join(repr(t) for t in texts)
        if absent:
            what += " without " + " or ".join(repr(t) for t in absent)
        try:
            self.serial.wait(step, timeout, what + " on the serial screen")
        except Failure as e:
            raise Failure("%s; screen:\n%s" % (e, self.text()))

    def wait_pixels(self, tag, test, timeout=TIMEOUT):
        """Takes screendumps until test(shot) returns something true, and returns it: what is
        on the screen is waited for, however long the guest takes to draw it."""
        self.shots += 1
        base = self.path("screen-%02d-%s" % (self.shots, tag))
        end = time.monotonic() + timeout
        while True:
            shot = self._pixels(base)
            r = test(shot)
            if r:
                return r
            if self.proc.poll() is not None or time.monotonic() > end:
                raise Failure("the screen never showed what %s waits for (last: %s.png)"
                              % (tag, base))
            time.sleep(0.2)  # between screendumps; each one is a full-screen copy

    def wait_serial(self, text, timeout=TIMEOUT):
        """Waits for text on the serial port after the cursor; moves the cursor past it."""
        self.serial.wait(text_step(text.encode()), timeout, "%r on the serial port" % text)

    def stage2_cmdline(self, timeout=TIMEOUT):
        """The command line the second stage printed after the last action."""
        self.wait_serial("STAGE2 CMDLINE: ", timeout)
        with self.serial.cond:
            start = self.serial.cursor
        self.wait_serial("\n", timeout)
        with self.serial.cond:
            return self.serial.data[start:self.serial.cursor].decode(errors="replace").strip()

    def wait_exit(self, timeout=TIMEOUT):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Failure("QEMU did not exit within %d s" % timeout)

    def elapsed(self):
        return time.time() - self.t0

    def tail(self, name, n=40):
        try:
            data = open(self.path(name), "rb").read().decode(errors="replace")
        except OSError:
            return "(no %s)" % name
        data = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", data).replace("\r", "")
        return "\n".join(data.splitlines()[-n:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.screendump("last")  # kept with the logs, for a look after a failure
            except (Failure, OSError, ValueError):
                pass
            self.proc.kill()
            self.proc.wait()
        for ch in (self.serial, self.trace_ch, self.debug):
            if ch:
                ch.close()

    def report_failure(self):
        print("--- serial screen:\n" + self.text())
        print("--- serial log tail:\n" + self.tail("serial.log"))
        print("--- trace:\n" + self.tail("trace.log", 60))
        print("--- debug log tail:\n" + self.tail("debug.log", 60))
        print("--- kept in " + self.dir)
