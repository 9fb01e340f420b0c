"""Runs one scanner as a child process and measures it the same way for every side.

Wall time is monotonic from just before the fork to the child's reaping; CPU seconds
(user + system) and peak RSS (ru_maxrss) come from the child's own rusage as returned by
wait4(2), which covers the child and any children it reaped itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    wall: float
    user: float
    sys: float
    maxrss_mb: float
    returncode: int
    timed_out: bool

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def run_measured(
    argv: list[str], env: dict[str, str], stdout: Path, stderr: Path, timeout: float, cwd: str | None = None
) -> Measured:
    timed_out = threading.Event()
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        started = time.monotonic()
        child = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd)

        def kill() -> None:
            timed_out.set()
            try:
                os.kill(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM): never leave a scanner running behind us.
            kill()
            os.wait4(child.pid, 0)
            child.returncode = -9
            raise
        finally:
            timer.cancel()
        wall = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        wall=wall,
        user=usage.ru_utime,
        sys=usage.ru_stime,
        maxrss_mb=usage.ru_maxrss / 1024.0,  # Linux reports kilobytes
        returncode=child.returncode,
        timed_out=timed_out.is_set(),
    )
