"""The day-status rules of SPEC §4, written once, used as the test oracle.

`evaluate` judges one folder listing for one scan date. Everything the fleet
writes into the manifest as EXPECTED comes from here, applied to the files that
were really created (and `fleet check` applies it again to what smbclient lists).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

DEFAULT_PATTERNS = ("*.bak", "*.zip", "*.7z", "*.rar", "*.gz")
MIN_BACKUP_BYTES = 1048576

# errorKind values of SPEC §4 (and what each network scenario maps to).
NETWORK_ERROR_KIND = {
    "wrongpass": "auth",
    "refused": "unreachable",
    "blackholed": "unreachable",
    "tarpit": "unreachable",
    "smb1": "protocol",
}


@dataclass(frozen=True)
class Entry:
    """One directory entry as a listing shows it (QUERY_DIRECTORY or smbclient ls)."""

    name: str
    is_dir: bool
    size: int
    mtime: int  # seconds since the epoch (LastWriteTime, to the second)


def is_backup_name(name: str, patterns=DEFAULT_PATTERNS) -> bool:
    """Case-insensitive glob match; the whole name must match (`x.bak.tmp` is not a backup)."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, p.lower()) for p in patterns)


def iso(mtime: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(mtime, tz).isoformat()


def result(status, error_kind=None, newest=None, tz=None, advanced=False, drive_letter=None):
    return {
        "status": status,
        "errorKind": error_kind,
        "file": newest.name if newest else None,
        "size": newest.size if newest else None,
        "lastWriteTime": iso(newest.mtime, tz) if newest else None,
        "advancedDate": advanced,
        "driveLetter": drive_letter,
    }


def failure(error_kind: str, drive_letter=None):
    """A failure decided before any listing (network, auth, share, folder, drive)."""
    return result("failed", error_kind, drive_letter=drive_letter)


def evaluate(entries, day: date, tz: ZoneInfo, patterns=DEFAULT_PATTERNS,
             min_bytes=MIN_BACKUP_BYTES, drive_letter=None):
    """Judge one listing for scan date `day` (SPEC §4).

    - backup file = regular file whose name matches a pattern (case-insensitive)
    - success: newest backup whose local date is `day` and size >= min_bytes
    - too_small: a backup on `day` exists but none is big enough
    - stale: nothing on `day`, and some backup is older than `day`
    - no_backup: no backup at all, or every backup is later than `day`
    - advancedDate: the newest backup is later than the end of `day`
    A failed result carries the newest backup seen (over the whole listing).
    Ties on LastWriteTime are broken by name (the fleet never creates such ties
    among backup files, so a client's tie-break is never tested).
    """
    backups = [e for e in entries if not e.is_dir and is_backup_name(e.name, patterns)]
    if not backups:
        return result("failed", "no_backup", drive_letter=drive_letter)

    def local_day(e):
        return datetime.fromtimestamp(e.mtime, tz).date()

    def newest_of(items):
        return max(items, key=lambda e: (e.mtime, e.name))

    newest = newest_of(backups)
    advanced = local_day(newest) > day
    on_day = [e for e in backups if local_day(e) == day]
    big = [e for e in on_day if e.size >= min_bytes]
    if big:
        return result("success", None, newest_of(big), tz, advanced, drive_letter)
    if on_day:
        kind = "too_small"
    elif any(local_day(e) < day for e in backups):
        kind = "stale"
    else:
        kind = "no_backup"
    return result("failed", kind, newest, tz, advanced, drive_letter)
