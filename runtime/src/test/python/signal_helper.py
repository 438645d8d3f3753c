#!/usr/bin/python3
"""A helper for JrunClientTest: exits 42 on SIGTERM, and writes $READY once it can take it."""
import os
import signal

signal.signal(signal.SIGTERM, lambda *_: os._exit(42))
with open(os.environ["READY"], "w") as f:
    f.write(str(os.getpid()))
while True:
    signal.pause()
