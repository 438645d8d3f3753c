#!/usr/bin/env python3
"""A caller that is a child subreaper, as conmon and containerd's shim are (ClientServerIT).

Usage: subreaper_caller.py REPORT PID_FILE -- COMMAND...

It makes itself a child subreaper, runs COMMAND (`bin/jrun ... create --pid-file PID_FILE ...`) with its own
environment and stdio, and waits for it. Once COMMAND has exited, the container's init has no parent left
between it and the nearest subreaper: it must have been reparented to this caller, whatever jrun did on the way
(one-shot, or a warm server that must never be the init's parent). It then reaps its children until the init
has been reaped, as a shim does, so that the test can compare the status it sees with the container's.

One line per event is appended to REPORT:
  created STATUS            COMMAND's exit status
  subreaper PID             this caller's pid
  init PID ppid PPID        the container's init (from PID_FILE) and its parent, from /proc/PID/status
  reaped PID status N       a child reaped (N: exit code, or 128+signal); the last line is the init's
  no-init WHY               PID_FILE could not be read, or no child was left before the init was reaped
"""
import ctypes
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36


def parent_of(pid):
    with open(f'/proc/{pid}/status') as status:
        for line in status:
            if line.startswith('PPid:'):
                return int(line.split()[1])
    raise ValueError(f'no PPid in /proc/{pid}/status')


def main():
    if len(sys.argv) < 5 or sys.argv[3] != '--':
        sys.exit(__doc__)
    report_path, pid_file, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_CHILD_SUBREAPER)')
    with open(report_path, 'a', buffering=1) as report:
        status = subprocess.call(command)
        report.write(f'created {status}\n')
        report.write(f'subreaper {os.getpid()}\n')
        try:
            with open(pid_file) as f:
                init = int(f.read().strip())
        except (OSError, ValueError) as e:
            report.write(f'no-init {e}\n')
            return
        report.write(f'init {init} ppid {parent_of(init)}\n')
        while True:
            try:
                pid, wait_status = os.waitpid(-1, 0)
            except ChildProcessError:
                report.write(f'no-init {init} was not reaped here: no child left\n')
                return
            code = os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else 128 + os.WTERMSIG(wait_status)
            report.write(f'reaped {pid} status {code}\n')
            if pid == init:
                return


if __name__ == '__main__':
    main()
