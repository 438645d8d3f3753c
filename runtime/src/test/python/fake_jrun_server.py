#!/usr/bin/python3
"""A fake jrun server for testing jrun-client (JrunClientTest, bench/client.sh).

It speaks the frames of docs/server.md and nothing else: each connection gets
one scripted scenario, and what the client sent and answered is recorded, one
JSON object per connection, in the --record file (written before the
scenario's last frame, so that a test that has seen the client exit can read
it). The Java server's JDK sockets cannot receive fds, hence Python.

Usage: fake_jrun_server.py --socket PATH --scenario NAME[,NAME...]
           [--record FILE] [--connections N] [--helper PATH] [--ready FILE]
           [--lifetime SECONDS] [--ready-fd FD]
  --scenario     one per connection, in order; the last one repeats
  --connections  serve N connections, then exit (0: until --lifetime)
  --helper       the program SPAWN asks for in the scenarios that spawn one
  --ready        helper scenarios: the helper writes this file once it can
                 take signals (the scenario passes it as READY=)
  --lifetime     exit after this many seconds whatever happens (no test may
                 leave it behind)
  --ready-fd     once listening, write one byte to this inherited fd and close
                 it, as `jrun server --ready-fd` does (-1: keep it open and
                 silent, a server that never gets ready)

The socket appears whole: bound under a temporary name, listening, then
renamed to PATH, so a client never sees a socket that refuses it.
"""
import argparse
import json
import os
import signal
import socket
import struct
import sys


def frame(t, payload=b""):
    return struct.pack("<I", 1 + len(payload)) + t.encode() + payload


def s(text):
    b = text.encode()
    return struct.pack("<I", len(b)) + b


def strs(items):
    return struct.pack("<I", len(items)) + b"".join(s(i) for i in items)


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.fds = []

    def _fill(self, n):
        while len(self.buf) < n:
            data, fds, _, _ = socket.recv_fds(self.sock, 1 << 16, 8)
            self.fds += fds
            if not data:
                raise EOFError("client closed")
            self.buf += data

    def read_frame(self):
        self._fill(4)
        (length,) = struct.unpack("<I", self.buf[:4])
        self._fill(4 + length)
        body, self.buf = self.buf[4:4 + length], self.buf[4 + length:]
        return chr(body[0]), body[1:]

    def send(self, data):
        self.sock.sendall(data)


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def u32(self):
        (v,) = struct.unpack_from("<I", self.data, self.pos)
        self.pos += 4
        return v

    def i32(self):
        (v,) = struct.unpack_from("<i", self.data, self.pos)
        self.pos += 4
        return v

    def i64(self):
        (v,) = struct.unpack_from("<q", self.data, self.pos)
        self.pos += 8
        return v

    def str(self):
        n = self.u32()
        v = self.data[self.pos:self.pos + n].decode()
        self.pos += n
        return v

    def strs(self):
        return [self.str() for _ in range(self.u32())]


def read_request(conn, rec):
    t, payload = conn.read_frame()
    r = Reader(payload)
    rec["type"] = t
    rec["version"] = r.u32()
    rec["buildId"] = r.str()
    rec["cwd"] = r.str()
    rec["argv"] = r.strs()
    rec["env"] = r.strs()
    rec["fdCount"] = len(conn.fds)
    rec["trailing"] = len(payload) - r.pos


def spawn(conn, rec, path, env):
    conn.send(frame("S", s(path) + strs(env)))
    t, payload = conn.read_frame()
    assert t == "P", t
    pid = Reader(payload).i64()
    rec.setdefault("spawned", []).append(pid)
    if pid > 0:
        # The helper cannot have been reaped yet (no WAIT so far): its parent is readable.
        with open(f"/proc/{pid}/status") as f:
            rec["helperPpid"] = int(next(l for l in f if l.startswith("PPid:")).split()[1])
    return pid


def wait(conn, rec, timeout, signals=()):
    conn.send(frame("W", struct.pack("<i", timeout) + struct.pack("<I", len(signals))
                    + b"".join(struct.pack("<i", x) for x in signals)))
    t, payload = conn.read_frame()
    assert t == "X", t
    status = Reader(payload).i32()
    rec.setdefault("waits", []).append([timeout, status])
    return status


def kill(conn, rec):
    conn.send(frame("K"))
    t, payload = conn.read_frame()
    assert t == "X", t
    rec["killed"] = Reader(payload).i32()
    return rec["killed"]


def helper_env(args):
    return ["PATH=/usr/bin:/bin", "READY=" + (args.ready or "/dev/null")]


def await_ready(args):
    """The helper has written --ready: it now handles SIGTERM. A short poll: this is a fake."""
    import time
    deadline = time.monotonic() + 30
    while not (os.path.exists(args.ready) and os.path.getsize(args.ready) > 0):
        if time.monotonic() > deadline:
            raise TimeoutError("the helper never became ready")
        time.sleep(0.01)


def scenario(name, conn, rec, args, record):
    """Runs one scenario; record() must be called before the last frame."""
    op, _, arg = name.partition(":")
    if op == "exit":                       # EXIT at once (bench/client.sh)
        read_request(conn, rec)
        record()
        conn.send(frame("E", struct.pack("<i", int(arg or 0))))
    elif op == "echo":                     # writes through the received fds
        read_request(conn, rec)
        fd0, fd1, fd2 = conn.fds[:3]
        data = os.read(fd0, 4096).decode()
        os.write(fd1, f"hello from the server; stdin: {data}\n".encode())
        os.write(fd2, b"to stderr\n")
        record()
        conn.send(frame("E", struct.pack("<i", 0)))
    elif op == "spawn-env":                # SPAWN /usr/bin/env with an exact environment
        read_request(conn, rec)
        spawn(conn, rec, "/usr/bin/env", ["A=1", "B=two words", "EMPTY="])
        status = wait(conn, rec, -1)
        record()
        conn.send(frame("E", struct.pack("<i", status)))
    elif op == "spawn-missing":            # SPAWN of a program that does not exist
        read_request(conn, rec)
        spawn(conn, rec, "/nonexistent/jrun-init", [])
        spawn(conn, rec, "/nonexistent/jrun-init", [])
        record()
        conn.send(frame("E", struct.pack("<i", 9)))
    elif op == "second-spawn":             # at most one helper per request
        read_request(conn, rec)
        spawn(conn, rec, "/usr/bin/true", [])
        spawn(conn, rec, "/usr/bin/true", [])
        wait(conn, rec, -1)
        record()
        conn.send(frame("E", struct.pack("<i", 0)))
    elif op == "wait-signal":              # WAIT 0, WAIT 50 (both -1), WAIT -1 relaying TERM
        read_request(conn, rec)
        spawn(conn, rec, args.helper, helper_env(args))
        wait(conn, rec, 0)
        await_ready(args)
        wait(conn, rec, 50)
        status = wait(conn, rec, -1, [signal.SIGTERM, signal.SIGHUP])
        record()
        conn.send(frame("E", struct.pack("<i", status)))
    elif op == "relay-early":              # RELAY [TERM, HUP], wait for --ready + ".go", then WAIT -1 [TERM, HUP]
        read_request(conn, rec)
        spawn(conn, rec, args.helper, helper_env(args))
        await_ready(args)
        conn.send(frame("R", struct.pack("<I", 2) + struct.pack("<i", signal.SIGTERM) + struct.pack("<i", signal.SIGHUP)))
        import time
        deadline = time.monotonic() + 30
        while not os.path.exists(args.ready + ".go"):
            if time.monotonic() > deadline:
                raise TimeoutError("the test never said go")
            time.sleep(0.01)
        status = wait(conn, rec, -1, [signal.SIGTERM, signal.SIGHUP])
        record()
        conn.send(frame("E", struct.pack("<i", status)))
    elif op == "kill":                     # KILL a running helper
        read_request(conn, rec)
        spawn(conn, rec, args.helper, helper_env(args))
        wait(conn, rec, 0)
        kill(conn, rec)
        wait(conn, rec, 0)                 # after the kill: the same status again
        record()
        conn.send(frame("E", struct.pack("<i", 0)))
    elif op == "die-after-spawn":          # the server ends between frames
        read_request(conn, rec)
        spawn(conn, rec, args.helper, helper_env(args))
        record()
    elif op == "die-during-wait":          # the server ends while the client waits
        read_request(conn, rec)
        spawn(conn, rec, args.helper, helper_env(args))
        conn.send(frame("W", struct.pack("<i", -1) + struct.pack("<I", 0)))
        record()
    elif op == "silent":                   # reads the request, says nothing until the client goes
        read_request(conn, rec)
        spawn(conn, rec, args.helper, helper_env(args))
        record()
        try:
            conn.read_frame()
        except (EOFError, ConnectionError):
            pass
    elif op == "stale":                    # another build: STALE, then wait for the client to go
        read_request(conn, rec)
        record()
        conn.send(frame("O"))
        try:
            conn.read_frame()
        except (EOFError, ConnectionError):
            pass
    elif op == "unread":                   # closes without reading (a server ending on idle)
        record()
    elif op == "garbage":                  # a frame type the protocol does not have
        read_request(conn, rec)
        record()
        conn.send(frame("Z"))
        try:
            conn.read_frame()
        except (EOFError, ConnectionError):
            pass
    else:
        raise ValueError("unknown scenario " + name)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--socket", required=True)
    p.add_argument("--scenario", required=True)
    p.add_argument("--record")
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--helper")
    p.add_argument("--ready")
    p.add_argument("--lifetime", type=int, default=120)
    p.add_argument("--ready-fd", type=int, action="append", default=[])
    args = p.parse_args()
    signal.alarm(args.lifetime)
    scenarios = args.scenario.split(",")

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = args.socket + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    listener.bind(tmp)
    listener.listen(64)
    os.rename(tmp, args.socket)
    if args.ready_fd and args.ready_fd[-1] >= 0:
        os.write(args.ready_fd[-1], b"\1")
        os.close(args.ready_fd[-1])

    served = 0
    while args.connections == 0 or served < args.connections:
        sock, _ = listener.accept()
        name = scenarios[min(served, len(scenarios) - 1)]
        served += 1
        conn = Conn(sock)
        rec = {"scenario": name}
        written = []

        def record():
            if args.record and not written:
                written.append(True)
                with open(args.record, "a") as f:
                    f.write(json.dumps(rec) + "\n")

        try:
            scenario(name, conn, rec, args, record)
        except Exception as e:  # recorded: the test shows it
            rec["error"] = repr(e)
            record()
        record()
        for fd in conn.fds:
            os.close(fd)
        sock.close()
    listener.close()


if __name__ == "__main__":
    sys.exit(main())
