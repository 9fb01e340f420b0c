"""Medians, ratios and the Markdown table of a scan benchmark."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

SIDE_ORDER = {"ours": 0}


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


@dataclass
class Row:
    case: str
    mode: str
    side: str
    runs: int
    valid_runs: int
    outlets: int
    wall: float | None = None
    outlets_per_second: float | None = None
    cpu: float | None = None
    cpu_ms_per_outlet: float | None = None
    rss_mb: float | None = None
    smbd_ms_per_session: float | None = None
    floor: float | None = None
    wall_over_floor: float | None = None
    netsim_cpu: float | None = None
    other_cpu: float | None = None
    # ours ÷ this side (baseline rows only)
    ours_wall_ratio: float | None = None
    ours_cpu_ratio: float | None = None
    ours_rss_ratio: float | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def side_key(side: str) -> tuple:
    if side in SIDE_ORDER:
        return (SIDE_ORDER[side], 0)
    # baseline-16 before baseline-64
    tail = side.rsplit("-", 1)[-1]
    return (1, int(tail) if tail.isdigit() else 0)


def summarise(runs: list[dict]) -> list[Row]:
    """One row per (case, mode, side): medians over the valid runs; VOID runs are not counted."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    order: list[tuple[str, str]] = []
    for r in runs:
        groups.setdefault((r["case"], r["mode"], r["side"]), []).append(r)
        if (r["case"], r["mode"]) not in order:
            order.append((r["case"], r["mode"]))
    rows: list[Row] = []
    for case, mode in order:
        sides = sorted({s for (c, m, s) in groups if c == case and m == mode}, key=side_key)
        case_rows = []
        for side in sides:
            group = groups[(case, mode, side)]
            valid = [r for r in group if r["valid"]]
            outlets = group[0]["outlets"]
            row = Row(case=case, mode=mode, side=side, runs=len(group), valid_runs=len(valid), outlets=outlets)
            if valid:
                row.wall = median([r["wall"] for r in valid])
                row.outlets_per_second = ratio(outlets, row.wall)
                row.cpu = median([r["cpu"] for r in valid])
                row.cpu_ms_per_outlet = ratio(row.cpu * 1000, outlets)
                row.rss_mb = median([r["maxrssMB"] for r in valid])
                row.smbd_ms_per_session = median(
                    [ratio(r["smbdCPU"] * 1000, r["sessions"]) for r in valid]
                )
                row.floor = median([r["floor"] for r in valid])
                row.wall_over_floor = median([ratio(r["wall"], r["floor"]) for r in valid])
                row.netsim_cpu = median([r.get("netsimCPU") for r in valid])
                row.other_cpu = median([r.get("otherCPU") for r in valid])
            case_rows.append(row)
        ours = next((r for r in case_rows if r.side == "ours"), None)
        for row in case_rows:
            if ours is not None and row.side != "ours":
                row.ours_wall_ratio = ratio(ours.wall, row.wall)
                row.ours_cpu_ratio = ratio(ours.cpu, row.cpu)
                row.ours_rss_ratio = ratio(ours.rss_mb, row.rss_mb)
        rows.extend(case_rows)
    return rows


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}"


HEADER = [
    "case",
    "mode",
    "scanner",
    "wall s",
    "outlets/s",
    "CPU s",
    "CPU ms/outlet",
    "peak RSS MB",
    "smbd ms/session",
    "floor s",
    "wall ÷ floor",
    "netsim CPU s",
    "others' CPU s",
    "ours ÷ this: wall / CPU / RSS",
    "valid runs",
]


def table_rows(rows: list[Row]) -> list[list[str]]:
    out = []
    for r in rows:
        if r.valid_runs == 0:
            cells = [r.case, r.mode, r.side] + ["VOID"] + ["—"] * (len(HEADER) - 5) + [f"0/{r.runs}"]
            out.append(cells)
            continue
        ratios = "—"
        if r.side != "ours" and r.ours_wall_ratio is not None:
            ratios = f"{fmt(r.ours_wall_ratio)} / {fmt(r.ours_cpu_ratio, 3)} / {fmt(r.ours_rss_ratio)}"
        out.append(
            [
                r.case,
                r.mode,
                r.side,
                fmt(r.wall),
                fmt(r.outlets_per_second, 0),
                fmt(r.cpu),
                fmt(r.cpu_ms_per_outlet),
                fmt(r.rss_mb, 1),
                fmt(r.smbd_ms_per_session, 1),
                fmt(r.floor),
                fmt(r.wall_over_floor),
                fmt(r.netsim_cpu),
                fmt(r.other_cpu, 1),
                ratios,
                f"{r.valid_runs}/{r.runs}",
            ]
        )
    return out


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    for cells in table_rows(rows):
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def void_section(runs: list[dict], limit: int = 5) -> str:
    """Every VOID run with its first differences (and runs that could not run at all)."""
    lines = []
    for r in runs:
        if r["valid"]:
            continue
        what = r.get("error") or f"{len(r['differences'])} outlets disagree with the manifest"
        lines.append(f"- VOID {r['case']}/{r['mode']}/{r['side']} run {r['run']}: {what}")
        for d in r.get("differences", [])[:limit]:
            lines.append(f"  - {d}")
    return "\n".join(lines) + ("\n" if lines else "")


def notes_section(runs: list[dict], limit: int = 5) -> str:
    """Fields of ours that disagree without voiding the run (first run of each group only)."""
    lines = []
    seen = set()
    for r in runs:
        key = (r["case"], r["mode"], r["side"])
        if not r.get("notes") or key in seen:
            continue
        seen.add(key)
        lines.append(f"- {r['case']}/{r['mode']}/{r['side']} run {r['run']}: {len(r['notes'])} notes")
        for n in r["notes"][:limit]:
            lines.append(f"  - {n}")
    return "\n".join(lines) + ("\n" if lines else "")
