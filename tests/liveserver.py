"""`quizapp serve` (gunicorn) started by tests, and always stopped again.

Each server runs in its own process group, so stopping it stops the master and every worker.
It is stopped by the test's own ``finally``/fixture finalizer, by ``atexit`` when pytest
exits early (Ctrl+C, an error in a fixture), and by the kernel when pytest itself is killed:
the server process asks for SIGTERM when its parent dies (Linux PR_SET_PDEATHSIG, which
survives the exec into gunicorn; a master whose parent is gone stops its workers).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO

# Set PR_SET_PDEATHSIG (1) to SIGTERM (before gunicorn starts: the default, exit; after:
# its graceful stop), give up if the parent is gone already, then run the CLI.
_BOOT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)\n"
    "if os.getppid() != int(os.environ['QUIZAPP_TEST_PARENT']): sys.exit(1)\n"
    "from quizapp.cli import main\n"
    "main()\n"
)

_running: dict[int, subprocess.Popen[bytes]] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    args: list[str], env: Mapping[str, str], output: IO[bytes] | int | None = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """``quizapp <args>`` in a new process group that dies with this process."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _BOOT, *args],
        env={**env, "QUIZAPP_TEST_PARENT": str(os.getpid())},
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _running[proc.pid] = proc
    return proc


def signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)  # start_new_session: the group id is the pid


def stop(proc: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM) -> None:
    """Stop the whole group (SIGKILL if it has not gone within 30 s) and reap it."""
    signal_group(proc, sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=20)
    signal_group(proc, signal.SIGKILL)  # workers a killed master left behind
    _running.pop(proc.pid, None)


@atexit.register
def _stop_all() -> None:
    for proc in list(_running.values()):
        stop(proc)


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text()[-3000:] if log else ""
            raise RuntimeError(f"the server exited:\n{tail}")
        try:
            urllib.request.urlopen(url + "/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    stop(proc, signal.SIGKILL)
    tail = log.read_text()[-3000:] if log else ""
    raise RuntimeError(f"the server did not start:\n{tail}")


def serve(port: int, workers: int, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`quizapp serve` on 127.0.0.1:port, its output appended to ``log``, once it answers."""
    with open(log, "ab") as out:
        proc = start(["serve", "--port", str(port), "--workers", str(workers)], env, out)
    wait_until_up(f"http://127.0.0.1:{port}", proc, log)
    return proc
