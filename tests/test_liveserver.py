"""A server a test started is stopped even when the test run is killed (issue 14, Low 14)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import fresh_database_url

HARNESS = """
import os, sys
from tests import liveserver
port = liveserver.free_port()
proc = liveserver.serve(port, 2, os.environ, __import__("pathlib").Path(sys.argv[1]))
print(proc.pid, flush=True)
import time
time.sleep(600)  # killed long before
"""


def alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_test_run_takes_its_server_down(tmp_path: Path, tiny_dir: Path) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_database_url(tmp_path),
           "CONTENT_DIR": str(tiny_dir), "SECRET_KEY": "liveserver-test-key"}  # fmt: skip
    runner = subprocess.Popen(
        [sys.executable, "-c", HARNESS, str(tmp_path / "server.log")],
        env=env, cwd=Path(__file__).parent.parent, stdout=subprocess.PIPE,
    )  # fmt: skip
    server = 0
    try:
        assert runner.stdout is not None
        server = int(runner.stdout.readline())
        assert alive(server)
        runner.send_signal(signal.SIGKILL)  # no finally, no atexit: only the kernel acts
        runner.wait(timeout=10)
        deadline = time.monotonic() + 45
        while alive(server) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(server), "the server outlived the killed test run"
    finally:
        runner.kill()
        runner.wait(timeout=10)
        runner.stdout.close()  # type: ignore[union-attr]
        if server and alive(server):
            os.killpg(server, signal.SIGKILL)
