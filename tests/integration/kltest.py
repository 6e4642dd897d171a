# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for driving kexec-loader in a pseudo-terminal and reading its screen.

The program runs in a real pty with a fixed size; its output goes through pyte (a VT100
emulator) so the tests check what a person would see, not raw escape sequences."""

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

import pyte

BINARY = os.environ.get("KEXEC_LOADER", "build/src/kexec-loader")

KEYS = {
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D",
    "home": b"\x1b[H", "end": b"\x1b[F", "pgup": b"\x1b[5~", "pgdn": b"\x1b[6~",
    "enter": b"\r", "esc": b"\x1b", "backspace": b"\x7f", "delete": b"\x1b[3~",
}


class Failure(Exception):
    pass


def fake_kernel(path, size=16384):
    """A file that looks like an x86 bzImage ("HdrS" at 0x202), enough for --dry-run."""
    data = bytearray(size)
    data[0x1FE:0x200] = b"\x55\xaa"
    data[0x202:0x206] = b"HdrS"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


class Fixture:
    """A temporary directory with one subdirectory per pretend filesystem."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="kl-test-")
        self.fs = []

    def add_fs(self, name, dev=None, uuid=None, label=None, partuuid=None, kernel=True,
               fstype=None):
        d = os.path.join(self.root, name)
        os.makedirs(d)
        if kernel:
            fake_kernel(os.path.join(d, "boot/vmlinuz"))
            write(os.path.join(d, "boot/initrd.img"), "initrd-" + name)
        spec = d
        for key, val in (("dev", dev), ("uuid", uuid), ("label", label), ("partuuid", partuuid),
                         ("type", fstype)):
            if val:
                spec += ",%s=%s" % (key, val)
        self.fs.append(spec)
        return d

    def args(self):
        out = []
        for spec in self.fs:
            out += ["--fs", spec]
        return out

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def run_list(fixture, extra=(), timeout=60, preexec_fn=None):
    """Runs `kexec-loader list --json` and returns the parsed object."""
    cmd = [BINARY, "list", "--json"] + fixture.args() + list(extra)
    p = subprocess.run(cmd, capture_output=True, timeout=timeout, preexec_fn=preexec_fn)
    if p.returncode != 0:
        raise Failure("list exited %d: %s" % (p.returncode, p.stderr.decode(errors="replace")))
    try:
        return json.loads(p.stdout.decode())
    except ValueError as e:
        raise Failure("list --json printed invalid JSON (%s): %r" % (e, p.stdout[:500]))


# Timeouts only end a hung run: every wait ends as soon as what it waits for is there.
TIMEOUT = float(os.environ.get("KL_TEST_TIMEOUT", "60"))


class Term:
    """kexec-loader running in a pty of cols x rows.

    Waits in the trace and in the raw output look only after a cursor: after what the last wait
    found, and after everything that had arrived when the last key was sent (send() and type()
    mark it), so a line printed before a key can never answer for that key. The screen is a
    state: a screen wait must look for what the key brings (not for what was there before)."""

    def __init__(self, args, cols=80, rows=24, env=None):
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = b""
        self.cursor = {"output": 0, "trace": 0}
        self.trace_path = tempfile.mktemp(prefix="kl-trace-")
        e = dict(os.environ)
        e.pop("KL_COLUMNS", None)
        e.pop("KL_LINES", None)
        e.update(env or {})
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(BINARY, [BINARY, "--trace", self.trace_path] + list(args), e)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.status = None

    def pump(self, wait=0.05):
        """Reads what the program wrote within `wait` seconds."""
        end = time.time() + wait
        while True:
            left = end - time.time()
            r, _, _ = select.select([self.fd], [], [], max(0, left))
            if not r:
                break
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            if not data:
                self.reap(block=True)
                break
            self.raw += data
            self.stream.feed(data)
        if self.status is None:
            self.reap(block=False)

    def reap(self, block):
        if self.status is not None:
            return
        pid, st = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid:
            self.status = os.waitstatus_to_exitcode(st)

    def text(self):
        return "\n".join(self.screen.display)

    def line(self, n):
        return self.screen.display[n]

    def trace(self):
        try:
            with open(self.trace_path) as f:
                return f.read()
        except OSError:
            return ""

    def _stream(self, where):
        if where == "output":
            return self.raw
        try:
            with open(self.trace_path, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def mark(self):
        """Everything that arrived so far comes before the next key."""
        self.pump(0)
        for where in self.cursor:
            self.cursor[where] = max(self.cursor[where], len(self._stream(where)))

    def wait_for(self, what, timeout=TIMEOUT, where="screen"):
        """Waits until `what` is on the screen, or in the raw output or the trace after the
        cursor (which then moves past it)."""
        if where == "screen":
            return self.wait_until(lambda: what in self.text(), "%r on the screen" % what,
                                   timeout)
        needle = what.encode()
        end = time.time() + timeout
        while True:
            data = self._stream(where)
            i = data.find(needle, self.cursor[where])
            if i >= 0:
                self.cursor[where] = i + len(needle)
                return
            if time.time() > end:
                break
            self.pump(0.05)
        raise Failure("timed out waiting for %r in the %s; screen now:\n%s\n--- trace:\n%s"
                      % (what, where, self.text(), self.trace()[-2000:]))

    def wait_until(self, cond, what, timeout=TIMEOUT):
        """Waits until cond() holds (cond looks at the screen)."""
        end = time.time() + timeout
        while True:
            self.pump(0.05)
            if cond():
                return
            if time.time() > end or self.status is not None:
                break
        raise Failure("timed out waiting for %s; screen now:\n%s\n--- trace:\n%s"
                      % (what, self.text(), self.trace()[-2000:]))

    def wait_gone(self, what, timeout=TIMEOUT):
        self.wait_until(lambda: what not in self.text(), "%r to leave the screen" % what,
                        timeout)

    def wait_exit(self, timeout=TIMEOUT):
        end = time.time() + timeout
        while time.time() < end and self.status is None:
            self.pump(0.05)
        if self.status is None:
            raise Failure("the program did not exit; screen:\n" + self.text())
        return self.status

    def send(self, *keys):
        """Keys, written at once after a mark. Esc and a key written together act as Esc then
        the key (as a person's typing on a serial line may arrive); to test a lone Esc, wait
        for its effect before the next key."""
        self.mark()
        for k in keys:
            os.write(self.fd, KEYS.get(k, k.encode() if isinstance(k, str) else k))

    def type(self, text):
        self.mark()
        os.write(self.fd, text.encode())

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.reap(block=True)
        try:
            os.close(self.fd)
        except OSError:
            pass
        try:
            os.unlink(self.trace_path)
        except OSError:
            pass


def check(cond, message, term=None):
    if not cond:
        if term is not None:
            message += "\n--- screen:\n" + term.text()
        raise Failure(message)


def run_scenarios(scenarios, names):
    """Runs the scenarios named (all of the dict scenarios, in name order, when none), each a
    function that raises on failure: `ok - NAME (seconds)` or `not ok - NAME` with the error.
    Returns the exit status: 1 when any failed."""
    failed = 0
    for name in names or sorted(scenarios):
        start = time.time()
        try:
            scenarios[name]()
            print("ok - %s (%.1f s)" % (name, time.time() - start))
        except Exception as e:  # noqa: BLE001 - any error fails the scenario, with its text
            failed += 1
            print("not ok - %s (%.1f s)\n%s" % (name, time.time() - start, e))
        sys.stdout.flush()
    return 1 if failed else 0
