"""The simulated fleet (scripts/fleet/fleet) under the machine-wide fleet lock.

The lock is the same file the other tools take with flock(1); flock(2) here is compatible.
Each (case, mode) takes the lock, brings the fleet up, runs its repetitions and brings the
fleet down again, so no hold lasts long. While a fleet we brought up is up, a marker file
records its manifest's createdAt: `cleanup_if_ours` (used by scripts/benchmark's trap when
this process was killed) takes a fleet down only if it is still that one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import subprocess
import sys
import time
from pathlib import Path

LOCK_PATH = Path("/tmp/backup-monitor-fleet.lock")
DEFAULT_ROOT = Path("/tmp/backup-monitor-fleet")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def fleet_lock(wait_seconds: float = 3600, path: Path = LOCK_PATH):
    with open(path, "a") as f:
        deadline = time.monotonic() + wait_seconds
        said = False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the fleet lock {path} was not free within {wait_seconds:.0f} s")
                if not said:
                    log(f"    waiting for the fleet lock {path} (another engineer is using the fleet)")
                    said = True
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class Fleet:
    def __init__(self, repo: Path, marker: Path, root: Path = DEFAULT_ROOT):
        self.script = repo / "scripts" / "fleet" / "fleet"
        self.root = root
        self.marker = marker

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def up(self, size: int, profile: str, latency_ms: float) -> dict:
        argv = [str(self.script), "up", "--root", str(self.root), "--size", str(size), "--profile", profile]
        if profile == "latency":
            argv += ["--latency-ms", str(latency_ms)]
        started = time.monotonic()
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"fleet up failed ({done.returncode}):\n{done.stdout[-3000:]}")
        manifest = json.loads(self.manifest_path.read_text())
        self.marker.parent.mkdir(parents=True, exist_ok=True)
        self.marker.write_text(json.dumps({"root": str(self.root), "createdAt": manifest.get("createdAt")}))
        log(f"    fleet up: {size} outlets, profile {profile} ({time.monotonic() - started:.1f} s)")
        return manifest

    def down(self) -> None:
        done = subprocess.run(
            [str(self.script), "down", "--root", str(self.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if done.returncode != 0:
            log(f"warning: fleet down exited {done.returncode}:\n{done.stdout[-2000:]}")
        self.marker.unlink(missing_ok=True)


def cleanup_if_ours(repo: Path, marker: Path) -> bool:
    """Brings the fleet down when it is still the one our marker names; the caller holds the lock."""
    if not marker.exists():
        return False
    try:
        mine = json.loads(marker.read_text())
    except ValueError:
        marker.unlink(missing_ok=True)
        return False
    root = Path(mine.get("root") or DEFAULT_ROOT)
    fleet = Fleet(repo, marker, root)
    try:
        current = json.loads(fleet.manifest_path.read_text())
    except (OSError, ValueError):
        marker.unlink(missing_ok=True)
        return False
    if current.get("createdAt") != mine.get("createdAt"):
        marker.unlink(missing_ok=True)
        return False
    log("==> bringing down the fleet the benchmark left up")
    fleet.down()
    return True
