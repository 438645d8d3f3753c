#!/usr/bin/env python3
"""A test client for the jrun server, written from docs/server.md (the real client is C: runtime/target/jrun-client).

It does what the contract asks of a client: sends REQUEST with its own fds 0, 1 and 2, spawns jrun-init as its own
child on SPAWN, waits for it on WAIT while passing the listed signals on, kills it on KILL, and exits with EXIT's
status. Exit 75 means the server answered STALE (the real client would start a new server and ask again).

Test-only options:
  --subreaper       become a child subreaper first (as conmon and containerd's shim are), so that the container's
                    init, once its helper exits, is reparented to this client: the test can see whose it is.
  --report FILE     append one line per event (client-pid, spawned, exit, stale, lost, timing) to FILE.
  --hold            after EXIT, report it and stay alive until SIGTERM (the test inspects the init's parent).
  --repeat N        send the same request N times, one connection each, and report each round trip in ms.
"""
import argparse
import ctypes
import os
import select
import signal
import socket
import struct
import sys
import time

STALE_EXIT = 75
PR_SET_CHILD_SUBREAPER = 36


def string(value):
    data = value.encode()
    return struct.pack('<I', len(data)) + data


def strings(values):
    return struct.pack('<I', len(values)) + b''.join(string(v) for v in values)


def frame(kind, payload=b''):
    return struct.pack('<IB', 1 + len(payload), ord(kind)) + payload


class Payload:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        chunk = self.data[self.at:self.at + n]
        if len(chunk) != n:
            raise ValueError('frame too short')
        self.at += n
        return chunk

    def i32(self):
        return struct.unpack('<i', self.take(4))[0]

    def u32(self):
        return struct.unpack('<I', self.take(4))[0]

    def str(self):
        return self.take(self.u32()).decode()

    def strs(self):
        return [self.str() for _ in range(self.u32())]

    def ints(self):
        return [self.i32() for _ in range(self.u32())]


class Connection:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buffer = b''

    def send(self, data, fds=()):
        if fds:
            socket.send_fds(self.sock, [data], list(fds))
        else:
            self.sock.sendall(data)

    def exactly(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def next(self):
        head = self.exactly(4)
        if head is None:
            return None
        body = self.exactly(struct.unpack('<I', head)[0])
        if body is None:
            return None
        return chr(body[0]), Payload(body[1:])


class Helper:
    """The one jrun-init of a request: this process's child."""

    def __init__(self):
        self.pid = None
        self.status = None

    def spawn(self, path, env):
        environment = dict(entry.split('=', 1) for entry in env)
        self.pid = os.posix_spawn(path, [path], environment)
        return self.pid

    def reap(self, block):
        if self.pid is None or self.status is not None:
            return
        pid, raw = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid == self.pid:
            code = os.waitstatus_to_exitcode(raw)
            self.status = code if code >= 0 else 128 - code

    def wait(self, timeout_ms, signals, waiting):
        """The exit status, or -1 if it still runs after timeout_ms (-1: no limit); signals go on to it meanwhile.

        waiting() is called once the relay is in place (the test sends its signal only then)."""
        previous = {}
        for number in signals:
            try:
                previous[number] = signal.signal(number, lambda n, _: self.forward(n))
            except (OSError, ValueError):
                pass
        waiting()
        try:
            self.reap(False)
            if self.status is None and timeout_ms != 0:
                pidfd = os.pidfd_open(self.pid)
                try:
                    poller = select.poll()
                    poller.register(pidfd, select.POLLIN)
                    deadline = None if timeout_ms < 0 else time.monotonic() + timeout_ms / 1000
                    while True:
                        left = None if deadline is None else max(0, int((deadline - time.monotonic()) * 1000))
                        if poller.poll(left) or left == 0:
                            break
                finally:
                    os.close(pidfd)
                self.reap(False)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        return -1 if self.status is None else self.status

    def forward(self, number):
        if self.pid is not None and self.status is None:
            os.kill(self.pid, number)

    def kill(self):
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            self.reap(True)
        return self.status


def report(path, line):
    if path:
        with open(path, 'a') as out:
            out.write(line + '\n')


def request(args, argv, env):
    """One request, as the real client makes it; returns the exit status."""
    connection = Connection(args.socket)
    payload = struct.pack('<i', args.protocol) + string(args.build_id) + string(args.cwd) + strings(argv) + strings(env)
    connection.send(frame('Q', payload), fds=(0, 1, 2))
    helper = Helper()
    while True:
        message = connection.next()
        if message is None:
            directory = os.path.dirname(args.socket)
            print('jrun: the jrun server ended during the request (see %s/jrun-server.log)' % directory, file=sys.stderr)
            report(args.report, 'lost')
            if helper.pid is not None and helper.status is None:
                helper.kill()
            return 1
        kind, body = message
        if kind == 'S':
            path, spawn_env = body.str(), body.strs()
            try:
                pid = helper.spawn(path, spawn_env)
                report(args.report, 'spawned %d' % pid)
            except OSError as e:
                pid = -e.errno
            connection.send(frame('P', struct.pack('<q', pid)))
        elif kind == 'W':
            timeout, signals = body.i32(), body.ints()
            waiting = lambda: report(args.report, 'wait %d %s' % (timeout, ','.join(map(str, signals))))
            connection.send(frame('X', struct.pack('<i', helper.wait(timeout, signals, waiting))))
        elif kind == 'R':
            # RELAY: from now on the listed signals go on to the helper (jrun-client holds them until its WAIT;
            # this client, simpler, forwards them at once). No answer.
            for number in body.ints():
                try:
                    signal.signal(number, lambda n, _: helper.forward(n))
                except (OSError, ValueError):
                    pass
            report(args.report, 'relay')
        elif kind == 'K':
            connection.send(frame('X', struct.pack('<i', helper.kill())))
        elif kind == 'E':
            status = body.i32()
            helper.reap(False)
            report(args.report, 'exit %d' % status)
            return status
        elif kind == 'O':
            report(args.report, 'stale')
            print('jrun test client: the server answered STALE', file=sys.stderr)
            return STALE_EXIT
        else:
            print('jrun test client: unexpected frame %r' % kind, file=sys.stderr)
            return 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--socket', required=True)
    parser.add_argument('--build-id', required=True)
    parser.add_argument('--protocol', type=int, default=1)
    parser.add_argument('--cwd', default=os.getcwd())
    parser.add_argument('--subreaper', action='store_true')
    parser.add_argument('--report')
    parser.add_argument('--hold', action='store_true')
    parser.add_argument('--repeat', type=int, default=0)
    parser.add_argument('argv', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    argv = args.argv[1:] if args.argv[:1] == ['--'] else args.argv
    env = sorted('%s=%s' % (k, v) for k, v in os.environ.items() if k.startswith('JRUN_'))
    if args.subreaper:
        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), 'prctl(PR_SET_CHILD_SUBREAPER)')
    report(args.report, 'client-pid %d' % os.getpid())
    if args.repeat:
        for _ in range(args.repeat):
            start = time.perf_counter()
            status = request(args, argv, env)
            report(args.report, 'timing %.3f %d' % ((time.perf_counter() - start) * 1000, status))
        return 0
    status = request(args, argv, env)
    if args.hold:
        # The default action of SIGTERM ends the client; until then it stays the container's subreaper.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        report(args.report, 'holding')
        while True:
            signal.pause()
    return status


if __name__ == '__main__':
    sys.exit(main())
