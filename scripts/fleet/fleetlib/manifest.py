"""EXPECTED results derived from the trees on disk (SPEC §4 via oracle.py)."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from . import oracle
from .layout import FOLDER
from .plan import IB_DRIVES, OutletPlan


def disk_listing(folder: Path) -> list[oracle.Entry]:
    out = []
    with os.scandir(folder) as it:
        for e in it:
            st = e.stat(follow_symlinks=False)
            is_dir = stat.S_ISDIR(st.st_mode)
            out.append(oracle.Entry(e.name, is_dir, 0 if is_dir else st.st_size, int(st.st_mtime)))
    return out


def listable_by_users(folder: Path) -> bool:
    """The Samba users are neither owner nor group of the root-owned tree: 'other' bits decide."""
    return folder.stat().st_mode & 0o005 == 0o005


def expected_ddrive(o: OutletPlan, tree: Path | None, days: list[date], tz: ZoneInfo):
    kind = oracle.NETWORK_ERROR_KIND.get(o.network)
    if kind:
        return {d.isoformat(): oracle.failure(kind) for d in days}, {}
    share = tree / "d"
    folder = share / FOLDER
    if not share.is_dir():
        return {d.isoformat(): oracle.failure("share_missing") for d in days}, {}
    if not folder.is_dir():
        return {d.isoformat(): oracle.failure("folder_missing") for d in days}, {}
    if not listable_by_users(folder):
        return {d.isoformat(): oracle.failure("access_denied") for d in days}, {}
    entries = disk_listing(folder)
    return {d.isoformat(): oracle.evaluate(entries, d, tz) for d in days}, {"d$": FOLDER}


def expected_ibstorage(o: OutletPlan, tree: Path | None, days: list[date], tz: ZoneInfo):
    kind = oracle.NETWORK_ERROR_KIND.get(o.network)
    if kind:
        return {d.isoformat(): oracle.failure(kind) for d in days}, {}
    for share in IB_DRIVES:
        folder = tree / share.rstrip("$") / FOLDER
        if not folder.is_dir():
            continue  # no share, or a share without the folder: try the next letter
        letter = share.rstrip("$").upper()
        if not listable_by_users(folder):
            return {d.isoformat(): oracle.failure("access_denied", letter) for d in days}, {}
        entries = disk_listing(folder)
        return ({d.isoformat(): oracle.evaluate(entries, d, tz, drive_letter=letter) for d in days},
                {share: FOLDER})
    return {d.isoformat(): oracle.failure("drive_not_found") for d in days}, {}
