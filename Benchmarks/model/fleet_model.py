#!/usr/bin/env python3
"""Scan time of a real fleet, where every outlet is its own machine (issue 8, README "Performance").

On this test machine smbd shares the scanner's two cores, so a loopback scan is bounded by smbd's CPU.
In a real fleet each outlet's SMB server runs on the outlet, and what bounds a scan is:

  * latency: every live outlet holds one of the scanner's C session slots for k round trips + its
    server time; a dead outlet waits out the connect timeout T in one of the A·C places for outlets
    in flight (ours: A = 4, connections are made ahead of the session slots; a thread pool: A = 1);
        wall_latency = max(N·(1−d)·(k·rtt + s) / C, (N·(1−d)·(k·rtt + s) + N·d·T) / (A·C))
  * client CPU: every outlet costs c seconds of scanner CPU, spread over the cores the scanner can use
    (2 for our NIO event loops, 1 for a CPython thread pool, which holds the GIL while it computes);
        wall_cpu = N·c / cores
  * the last outlets: nothing finishes before one live outlet's time, nor before T if any outlet is dead.

  wall ≈ max(wall_latency, wall_cpu) + max(k·rtt + s, T if d > 0)

The inputs are measured by `scripts/benchmark scan` (CPU per outlet) and by `rtt.py` beside this file
(round trips per outlet through the fleet's latency proxy). It is a model: it leaves out TCP slow start,
packet loss and the outlets' own load, which all make real scans slower for both methods alike.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass


@dataclass(frozen=True)
class Method:
    name: str
    round_trips: float  # per live outlet, TCP handshake included
    cpu_per_outlet: float  # seconds of scanner CPU
    concurrency: int  # outlets in a session at once
    cores: float  # cores the scanner's CPU work can spread over
    in_flight_factor: float = 1  # outlets in flight (connecting or in a session) per session slot


def scan_seconds(m: Method, outlets: int, rtt: float, dead: float, timeout: float, server: float) -> float:
    live_slot = m.round_trips * rtt + server
    live = outlets * (1 - dead) * live_slot
    latency = max(live / m.concurrency, (live + outlets * dead * timeout) / (m.concurrency * m.in_flight_factor))
    cpu = outlets * m.cpu_per_outlet / m.cores
    tail = max(live_slot, timeout if dead > 0 else 0.0)
    return max(latency, cpu) + tail


def table(methods: list[Method], sizes: list[int], rtts_ms: list[float], dead: float, timeout: float,
          server: float) -> str:
    head = "| outlets | round trip | " + " | ".join(m.name for m in methods) + " |"
    rule = "|---:|---:|" + "---:|" * len(methods)
    rows = [head, rule]
    for n in sizes:
        for rtt in rtts_ms:
            cells = [f"{scan_seconds(m, n, rtt / 1000, dead, timeout, server):.1f} s" for m in methods]
            rows.append(f"| {n:,} | {rtt:g} ms | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ours-round-trips", type=float, default=5, help="per outlet incl. TCP connect (measured: 4 + 1)")
    p.add_argument("--ours-cpu-ms", type=float, required=True, help="scanner CPU per outlet, from the benchmark")
    p.add_argument("--ours-concurrency", type=int, default=256, help="SCAN_CONCURRENCY (default 256)")
    p.add_argument("--baseline-round-trips", type=float, default=11.4, help="smbprotocol per outlet incl. TCP")
    p.add_argument("--baseline-cpu-ms", type=float, required=True, help="smbprotocol CPU per outlet")
    p.add_argument("--baseline-workers", default="16,64")
    p.add_argument("--server-ms", type=float, default=12, help="an outlet's own SMB server time per session")
    p.add_argument("--dead", type=float, default=0.05, help="share of outlets that never answer")
    p.add_argument("--connect-timeout", type=float, default=5, help="seconds, both methods")
    p.add_argument("--cores", type=float, default=2, help="cores of the monitor host")
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--rtts", default="5,40,150", help="round trips in ms")
    a = p.parse_args()
    methods = [
        Method(f"ours, SCAN_CONCURRENCY={a.ours_concurrency}", a.ours_round_trips, a.ours_cpu_ms / 1000,
               a.ours_concurrency, a.cores, 4),
        Method("ours, SCAN_CONCURRENCY=1024", a.ours_round_trips, a.ours_cpu_ms / 1000, 1024, a.cores, 4),
    ]
    for w in (int(x) for x in a.baseline_workers.split(",")):
        methods.append(Method(f"smbprotocol, {w} threads", a.baseline_round_trips, a.baseline_cpu_ms / 1000, w, 1))
    print(table(methods, [int(x) for x in a.sizes.split(",")], [float(x) for x in a.rtts.split(",")], a.dead,
                a.connect_timeout, a.server_ms / 1000))


if __name__ == "__main__":
    main()
