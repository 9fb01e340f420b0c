"""A choked path to the fleet: the monitor's uplink or VPN saturated (SPEC §6, issue 14).

Traffic to and from the fleet's SMB addresses goes through an HTB class on `lo` with a fixed
rate, and a small helper process drops that rate to a trickle at regular intervals (bursts of
delay: packets queue, round trips jump, then drain). Everything else on loopback (PostgreSQL,
the web tests) stays in an unlimited default class. `stop` removes the qdisc and the helper;
`fleet down` calls it too, so a test that dies mid-way leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DEVICE = "lo"
# The fleet's SMB servers: smbd instances, the latency proxy and the tarpit (see README).
PREFIXES = ["127.1.0.0/16", "127.2.0.0/16", "127.3.0.0/16", "127.5.0.0/16", "127.6.0.0/16", "127.9.0.0/16"]
CHOKED = "1:10"
# loopback's MTU is 64 KiB: a quantum below it makes HTB complain and serve unevenly.
QUANTUM = "65536"


def _tc(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["tc", *args], capture_output=True, text=True, check=check)


def _state_path(root: Path) -> Path:
    return root / "run" / "choke.json"


def set_rate(rate: str) -> None:
    _tc("class", "change", "dev", DEVICE, "parent", "1:", "classid", CHOKED, "htb",
        "rate", rate, "ceil", rate, "quantum", QUANTUM)


def start(root: Path, rate: str, burst_rate: str, every: float, length: float, queue: int) -> dict:
    """Install the choke (replacing one of ours) and start the burst helper; returns its state.

    `queue` bytes wait at most in the choked class (a router's buffer): beyond that, packets
    are dropped and TCP retransmits. Without it, loopback's 1000-packet queue of 64 KiB
    segments would hold a minute of traffic at 8 Mbit/s, a path no real uplink has. A burst
    rate far below `rate` also stalls the class after the burst: HTB charges a 64 KiB segment
    sent during the burst at the burst's rate.
    """
    stop(root)
    _tc("qdisc", "add", "dev", DEVICE, "root", "handle", "1:", "htb", "default", "20")
    _tc("class", "add", "dev", DEVICE, "parent", "1:", "classid", "1:20", "htb",
        "rate", "100gbit", "quantum", "200000")
    _tc("class", "add", "dev", DEVICE, "parent", "1:", "classid", CHOKED, "htb",
        "rate", rate, "ceil", rate, "quantum", QUANTUM)
    for prefix in PREFIXES:
        for direction in ("dst", "src"):
            _tc("filter", "add", "dev", DEVICE, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                "match", "ip", direction, prefix, "flowid", CHOKED)
    helper = None
    if every > 0 and length > 0:
        helper = subprocess.Popen(
            [sys.executable, "-m", "fleetlib.choke", "bursts", rate, burst_rate, str(every), str(length)],
            cwd=str(Path(__file__).resolve().parents[1]), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = {"rate": rate, "burstRate": burst_rate, "every": every, "length": length, "queue": queue,
             "helper": helper.pid if helper else None, "prefixes": PREFIXES}
    path = _state_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state))
    return state


def stop(root: Path) -> bool:
    """Remove the choke; safe when there is none. Returns True if something was removed."""
    removed = False
    path = _state_path(root)
    if path.exists():
        try:
            pid = json.loads(path.read_text()).get("helper")
        except (ValueError, OSError):
            pid = None
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)
                removed = True
            except ProcessLookupError:
                pass
        path.unlink(missing_ok=True)
    shown = _tc("qdisc", "show", "dev", DEVICE, check=False).stdout
    if "htb 1:" in shown:
        _tc("qdisc", "del", "dev", DEVICE, "root", check=False)
        removed = True
    return removed


def bursts(rate: str, burst_rate: str, every: float, length: float) -> None:
    """The helper: every `every` seconds, `length` seconds at `burst_rate`, then `rate` again."""
    while True:
        time.sleep(max(0.0, every - length))
        set_rate(burst_rate)
        time.sleep(length)
        set_rate(rate)


if __name__ == "__main__" and len(sys.argv) == 6 and sys.argv[1] == "bursts":
    bursts(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]))
