"""Processes started by the fleet (pidfiles under ROOT/run) and listening sockets."""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path


def run_dir(root: Path) -> Path:
    return root / "run"


def spawn(root: Path, name: str, argv: list[str], log: Path, env=None) -> int:
    """Start a long-lived process in its own session (its pid is its process group)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True, close_fds=True, env=env)
    run_dir(root).mkdir(parents=True, exist_ok=True)
    (run_dir(root) / f"{name}.pid").write_text(f"{p.pid}\n")
    return p.pid


def pidfiles(root: Path) -> dict[str, int]:
    out = {}
    d = run_dir(root)
    if d.is_dir():
        for f in sorted(d.glob("*.pid")):
            try:
                out[f.stem] = int(f.read_text().strip())
            except ValueError:
                pass
    return out


def _stat(pid: int):
    """(state, pgrp) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    rest = raw[raw.rindex(")") + 2:].split()
    return rest[0], int(rest[2])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""


def alive(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] != "Z"


def ours(root: Path) -> list[int]:
    """Every live process that belongs to this fleet: members of the process groups
    we started (smbd forks per connection), or any process whose command line names
    a file under ROOT (smbd -s ROOT/..., netsim ROOT/...)."""
    groups = set(pidfiles(root).values())
    marker = str(root.resolve()) + "/"
    found = []
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid == me:
            continue
        st = _stat(pid)
        if st is None or st[0] == "Z":
            continue
        if st[1] in groups:
            found.append(pid)
            continue
        cmd = _cmdline(pid)
        argv0 = os.path.basename(cmd.split(" ", 1)[0])
        if marker in cmd and (argv0.startswith("smbd") or "netsim.py" in cmd):
            found.append(pid)
    return found


def stop_all(root: Path, timeout: float = 10.0) -> list[int]:
    """SIGTERM everything of ours, then SIGKILL what is left; returns the pids signalled."""
    victims = ours(root)
    for pid in victims:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = ours(root)
        if not left:
            break
        time.sleep(0.1)
    else:
        for pid in ours(root):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.3)
    for f in run_dir(root).glob("*.pid") if run_dir(root).is_dir() else []:
        f.unlink()
    return victims


def wait_reaped(pids: list[int], timeout: float) -> list[int]:
    """Our processes were orphans (their parent, `fleet up`, exited), so PID 1 collects
    their exit status; wait a little so that `ps` shows no <defunct> smbd afterwards.
    Returns the pids still zombies (they hold no socket or file)."""
    deadline = time.monotonic() + timeout
    while True:
        zombies = [p for p in pids if (_stat(p) or ("",))[0] == "Z"]
        if not zombies or time.monotonic() > deadline:
            return zombies
        time.sleep(0.2)


def listeners() -> dict[tuple[str, int], int]:
    """Listening TCP sockets (IPv4) from /proc/net/tcp: (address, port) -> inode."""
    out = {}
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            parts = line.split()
            if parts[3] != "0A":
                continue
            ip_hex, port_hex = parts[1].split(":")
            ip = socket.inet_ntoa(struct.pack("<I", int(ip_hex, 16)))
            out[(ip, int(port_hex, 16))] = int(parts[9])
    return out


def wait_listening(addresses: list[str], port: int, timeout: float, pids: dict[str, int]) -> None:
    want = set(addresses)
    deadline = time.monotonic() + timeout
    while True:
        have = {a for (a, p) in listeners() if p == port}
        missing = want - have
        if not missing:
            return
        dead = [n for n, pid in pids.items() if not alive(pid)]
        if dead or time.monotonic() > deadline:
            sample = ", ".join(sorted(missing)[:5])
            raise RuntimeError(f"{len(missing)} address(es) not listening on port {port} "
                               f"(e.g. {sample}); dead processes: {dead or 'none'}; see ROOT/logs")
        time.sleep(0.05)
