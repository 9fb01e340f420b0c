"""CPU time of server process trees (smbd, netsim) from /proc, for the scan floor.

A process's /proc/PID/stat carries utime and stime (its own CPU) and cutime and cstime (the
CPU of the children it has reaped with wait(), their own reaped children included). smbd forks
one child per connection and reaps it when the session ends, so the parent's cutime+cstime
grows by each session's CPU once it is reaped. A session child still alive (or a zombie not
yet reaped) is counted by walking the tree: for every live descendant, its own times plus
what it has reaped. That total is continuous when a child exits: its time leaves the
"live" sum and enters the parent's cutime at the same moment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ProcStat:
    """The fields of /proc/PID/stat this benchmark needs; times in clock ticks."""

    pid: int
    comm: str
    state: str
    ppid: int
    utime: int
    stime: int
    cutime: int
    cstime: int

    @property
    def own_ticks(self) -> int:
        return self.utime + self.stime

    @property
    def reaped_ticks(self) -> int:
        return self.cutime + self.cstime


def parse_stat(text: str) -> ProcStat:
    """Parses one /proc/PID/stat line (proc(5)).

    The command name is in parentheses and may itself contain spaces and ')', so the fields
    after it are split from the last ')'.
    """
    open_paren = text.index("(")
    close_paren = text.rindex(")")
    pid = int(text[:open_paren].strip())
    comm = text[open_paren + 1 : close_paren]
    rest = text[close_paren + 2 :].split()
    # rest[0] is field 3 (state); field N is rest[N - 3].
    return ProcStat(
        pid=pid,
        comm=comm,
        state=rest[0],
        ppid=int(rest[1]),
        utime=int(rest[11]),
        stime=int(rest[12]),
        cutime=int(rest[13]),
        cstime=int(rest[14]),
    )


def read_all(proc: Path = Path("/proc")) -> dict[int, ProcStat]:
    """Every process's stat; processes that vanish while reading are skipped."""
    out: dict[int, ProcStat] = {}
    for entry in os.listdir(proc):
        if not entry.isdigit():
            continue
        try:
            text = (proc / entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        try:
            st = parse_stat(text)
        except (ValueError, IndexError):
            continue
        out[st.pid] = st
    return out


@dataclass
class TreeCPU:
    """CPU of one process tree at one moment, in clock ticks."""

    root: int
    alive: bool
    own: int = 0
    reaped: int = 0
    live_descendants: int = 0
    live_descendant_ticks: int = 0
    live_pids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.own + self.reaped + self.live_descendant_ticks


def tree_cpu(stats: dict[int, ProcStat], root: int) -> TreeCPU:
    """The root's own and reaped time plus every live (or zombie) descendant's own and reaped time."""
    st = stats.get(root)
    if st is None:
        return TreeCPU(root=root, alive=False)
    children: dict[int, list[int]] = {}
    for s in stats.values():
        children.setdefault(s.ppid, []).append(s.pid)
    result = TreeCPU(root=root, alive=True, own=st.own_ticks, reaped=st.reaped_ticks)
    stack = list(children.get(root, []))
    while stack:
        pid = stack.pop()
        if pid == root:
            continue
        child = stats[pid]
        result.live_descendants += 1
        result.live_descendant_ticks += child.own_ticks + child.reaped_ticks
        result.live_pids.append(pid)
        stack.extend(children.get(pid, []))
    return result


@dataclass(frozen=True)
class CPUDelta:
    """Server CPU spent between two snapshots, split by where it was found."""

    seconds: float
    own_seconds: float
    reaped_seconds: float
    live_seconds: float
    live_descendants_after: int


def delta(before: list[TreeCPU], after: list[TreeCPU], ticks_per_second: int) -> CPUDelta:
    """Sums trees matched by root pid. A root that died in between contributes nothing."""
    by_root = {t.root: t for t in before}
    own = reaped = live = 0
    live_after = 0
    for a in after:
        b = by_root.get(a.root)
        if b is None or not a.alive or not b.alive:
            continue
        own += a.own - b.own
        reaped += a.reaped - b.reaped
        live += a.live_descendant_ticks - b.live_descendant_ticks
        live_after += a.live_descendants
    tps = float(ticks_per_second)
    return CPUDelta(
        seconds=(own + reaped + live) / tps,
        own_seconds=own / tps,
        reaped_seconds=reaped / tps,
        live_seconds=live / tps,
        live_descendants_after=live_after,
    )


def snapshot(roots: list[int], proc: Path = Path("/proc")) -> list[TreeCPU]:
    stats = read_all(proc)
    return [tree_cpu(stats, r) for r in roots]


def ticks_per_second() -> int:
    return os.sysconf("SC_CLK_TCK")


def live_descendant_count(roots: list[int], proc: Path = Path("/proc")) -> int:
    """Live (or not yet reaped) descendants of the roots: smbd's helpers plus open sessions."""
    stats = read_all(proc)
    return sum(tree_cpu(stats, r).live_descendants for r in roots)


class Sampler:
    """Samples the trees while a scan runs, as a check of the method itself.

    If a reaped session's CPU did not reach its parent's cutime/cstime, the tree total would
    drop whenever sessions end; `max_drop_ticks` records the largest drop seen between two
    samples (expected: 0, or a tick or two of rounding). `max_live` is the most descendants
    seen at once (helpers plus concurrent sessions).
    """

    def __init__(self, roots: list[int], interval: float = 0.25, proc: Path = Path("/proc")):
        import threading

        self.roots = roots
        self.interval = interval
        self.proc = proc
        self.max_drop_ticks = 0
        self.max_live = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def observe(self, trees: list[TreeCPU], previous: int | None) -> int:
        total = sum(t.total for t in trees if t.alive)
        self.max_live = max(self.max_live, sum(t.live_descendants for t in trees))
        if previous is not None:
            self.max_drop_ticks = max(self.max_drop_ticks, previous - total)
        self.samples += 1
        return total

    def _run(self) -> None:
        previous = None
        while not self._stop.is_set():
            previous = self.observe(snapshot(self.roots, self.proc), previous)
            self._stop.wait(self.interval)


@dataclass(frozen=True)
class MachineCPU:
    """The whole machine's CPU time from the `cpu` line of /proc/stat, in clock ticks."""

    busy: int
    idle: int


def parse_machine_cpu(text: str) -> MachineCPU:
    """user nice system idle iowait irq softirq steal [guest guest_nice] (proc(5)).

    guest time is already inside user/nice, so it is not added again.
    """
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] == "cpu":
            v = [int(x) for x in parts[1:9]] + [0] * max(0, 8 - len(parts[1:9]))
            user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
            return MachineCPU(busy=user + nice + system + irq + softirq + steal, idle=idle + iowait)
    raise ValueError("no cpu line in /proc/stat")


def machine_cpu(path: Path = Path("/proc/stat")) -> MachineCPU:
    return parse_machine_cpu(path.read_text())
