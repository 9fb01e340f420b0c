"""The SPEC §4 day rule, as the baseline scanner applies it to one folder listing.

Written from the SPEC, independently of the product and of the fleet's oracle, so that the
baseline is a second opinion rather than a copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class Entry:
    """One directory entry as a listing reports it (no per-file request)."""

    name: str
    size: int
    last_write: dt.datetime  # timezone-aware
    is_directory: bool


@dataclass(frozen=True)
class Verdict:
    status: str  # "success" or "failed"
    error_kind: str | None
    file: str | None
    size: int | None
    last_write: dt.datetime | None
    advanced: bool


def is_backup(entry: Entry, patterns: list[str]) -> bool:
    """A regular file whose whole name matches one pattern, case-insensitive (SPEC §4)."""
    if entry.is_directory:
        return False
    name = entry.name.lower()
    return any(fnmatchcase(name, p.lower()) for p in patterns)


def _newest(entries: list[Entry]) -> Entry:
    # Ties on LastWriteTime break by name, so the choice never depends on listing order.
    return max(entries, key=lambda e: (e.last_write, e.name))


def evaluate(
    entries: list[Entry], day: dt.date, tz: dt.tzinfo, patterns: list[str], min_bytes: int
) -> Verdict:
    """Success when a backup dated on `day` (in `tz`) is at least `min_bytes`; else why not.

    A failed verdict still names the newest backup of the whole folder.
    """
    backups = [e for e in entries if is_backup(e, patterns)]
    if not backups:
        return Verdict("failed", "no_backup", None, None, None, False)
    newest = _newest(backups)
    advanced = newest.last_write.astimezone(tz).date() > day
    on_day = [e for e in backups if e.last_write.astimezone(tz).date() == day]
    good = [e for e in on_day if e.size >= min_bytes]
    if good:
        best = _newest(good)
        return Verdict("success", None, best.name, best.size, best.last_write, advanced)
    if on_day:
        kind = "too_small"
    elif any(e.last_write.astimezone(tz).date() < day for e in backups):
        kind = "stale"
    else:
        kind = "no_backup"
    return Verdict("failed", kind, newest.name, newest.size, newest.last_write, advanced)
