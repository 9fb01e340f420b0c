"""What files each outlet's tree holds (pure: returns a list of specs).

A tree is ROOT/hosts/<address>/ with one directory per drive share:
d/ (share d$), e/ .. i/ (IBSTORAGE candidates). A missing directory is a
missing share (STATUS_BAD_NETWORK_NAME through the `%i` share path).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from . import content
from .plan import IB_DRIVES, OutletPlan

MIB = 1024 * 1024
MIN_SIZE = 3 * MIB // 2          # 1.5 MiB
MAX_SIZE = 5 * 1024 * MIB        # 5 GiB
FOLDER = "BackupFull"
MANY_FILES = 5000


@dataclass
class Tree:
    dirs: dict[str, int] = field(default_factory=dict)        # relpath -> mtime
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # relpath -> (size, mtime)
    locked: list[str] = field(default_factory=list)            # dirs chmod 000 at the end
    # relpath -> (head, tail): real first and last bytes of a backup (content.py); the middle
    # stays sparse. Files without an entry are all zeros.
    content: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    today: date
    past: date
    tz: ZoneInfo
    history_days: int
    seed: int


def history_days(today: date, past: date) -> int:
    """Healthy outlets keep one backup a day: ~10 days, enough to cover the past date."""
    return max(10, min(45, (today - past).days + 3))


def at(d: date, h: int, m: int, s: int, tz: ZoneInfo) -> int:
    return int(datetime(d.year, d.month, d.day, h, m, s, tzinfo=tz).timestamp())


def pick_ext(rng: random.Random) -> str:
    ext = "bak" if rng.random() < 0.8 else rng.choice(["zip", "7z", "rar", "gz"])
    return ext.upper() if rng.random() < 0.1 else ext


def base_size(rng: random.Random) -> int:
    return int(math.exp(rng.uniform(math.log(MIN_SIZE * 1.1), math.log(MAX_SIZE * 0.9))))


def jitter(rng: random.Random, base: int) -> int:
    return max(MIN_SIZE, min(MAX_SIZE, int(base * rng.uniform(0.97, 1.03))))


def add_history(t: Tree, folder: str, rng: random.Random, code: str, days: list[date],
                tz: ZoneInfo, style: str = "standard") -> dict[date, int]:
    """One backup a day between 01:00 and 04:59 local; returns day -> mtime."""
    size0 = base_size(rng)
    times = {}
    for n, d in enumerate(days):
        h, m = rng.randint(1, 4), rng.randint(0, 59)
        s = 0 if rng.random() < 0.5 else rng.randint(1, 59)
        if style == "non_ascii":
            name = [f"Sauvegarde été {code} {d:%Y-%m-%d}.bak",
                    f"Copie de sécurité ñ {code} {d:%Y-%m-%d}.ZIP",
                    f"备份 {code} {d:%Y%m%d} Ü.7z"][(len(days) - 1 - n) % 3]
        else:
            name = f"{code}_FULL_{d:%Y%m%d}_{h:02d}{m:02d}{s:02d}.{pick_ext(rng)}"
        mtime = at(d, h, m, s, tz)
        t.files[f"{folder}/{name}"] = (jitter(rng, size0), mtime)
        times[d] = mtime
    return times


def add_noise(t: Tree, folder: str, rng: random.Random, code: str, today: date,
              tz: ZoneInfo, force_all: bool = False) -> None:
    """Files that must never count as backups (and some that look close)."""
    t.files[f"{folder}/README.txt"] = (812, at(today - timedelta(days=400), 9, 15, 0, tz))
    for k in range(3):
        d = today - timedelta(days=k)
        # SQL transaction-log backups: newer and bigger than the full backup, not a pattern.
        t.files[f"{folder}/{code}_LOG_{d:%Y%m%d}_0600.trn"] = (
            rng.randint(4, 80) * MIB, at(d, 6, 0, 0, tz))
        t.files[f"{folder}/backup_{d:%Y%m%d}.log"] = (rng.randint(900, 9000), at(d, 5, 5, 5, tz))
    if force_all or rng.random() < 0.15:
        t.files[f"{folder}/{code}_FULL_{today:%Y%m%d}_050000.bak.tmp"] = (
            2 * MIB, at(today, 5, 0, 0, tz))
    if force_all or rng.random() < 0.15:
        # A directory named like a backup: not a regular file, must not count.
        t.dirs[f"{folder}/Archive.bak"] = at(today, 23, 30, 0, tz)
    if force_all:
        t.files[f"{folder}/{code}_FULL_{today:%Y%m%d}.bak.old"] = (3 * MIB, at(today, 2, 0, 0, tz))
        t.files[f"{folder}/{code}_notes.TXT"] = (100, at(today, 1, 0, 0, tz))


def days_ending(end: date, n: int) -> list[date]:
    return [end - timedelta(days=k) for k in range(n - 1, -1, -1)]


def ddrive(t: Tree, o: OutletPlan, ctx: Context) -> None:
    rng = random.Random(f"ddrive:{ctx.seed}:{o.code}")
    s, code, tz, today = o.ddrive, o.code, ctx.tz, ctx.today
    folder = f"d/{FOLDER}"
    if s == "share_missing":
        return
    t.dirs["d"] = at(today - timedelta(days=300), 8, 0, 0, tz)
    t.dirs["d/Data"] = at(today - timedelta(days=200), 8, 0, 0, tz)
    t.files["d/Data/Outlet.mdf"] = (40 * MIB, at(today, 7, 0, 0, tz))
    if s == "folder_missing":
        # A look-alike folder holds fresh backups; the configured one does not exist.
        t.dirs["d/Backup"] = at(today, 2, 0, 0, tz)
        add_history(t, "d/Backup", rng, code, days_ending(today, 3), tz)
        return
    t.dirs[folder] = at(today - timedelta(days=365), 8, 0, 0, tz)
    n = ctx.history_days
    if s == "empty":
        return
    if s == "no_match":
        add_noise(t, folder, rng, code, today, tz, force_all=True)
        return
    if s == "stale":
        add_history(t, folder, rng, code, days_ending(today - timedelta(days=rng.randint(1, 5)), n), tz)
    elif s == "too_small":
        add_history(t, folder, rng, code, days_ending(today - timedelta(days=1), n - 1), tz)
        size = rng.choice([MIN_SIZE // 2 - 1, 1048575, rng.randint(0, 1048575)])
        t.files[f"{folder}/{code}_FULL_{today:%Y%m%d}_021500.bak"] = (size, at(today, 2, 15, 0, tz))
    elif s == "future":
        add_history(t, folder, rng, code, days_ending(today, n), tz)
        tomorrow = today + timedelta(days=1)
        t.files[f"{folder}/{code}_FULL_{tomorrow:%Y%m%d}_020000.bak"] = (
            jitter(rng, base_size(rng)), at(tomorrow, 2, 0, 0, tz))
    elif s == "same_day":
        add_history(t, folder, rng, code, days_ending(today - timedelta(days=1), n - 1), tz)
        big = min(max(base_size(rng), 8 * MIB), 1024 * MIB)
        stamp = f"{today:%Y%m%d}"
        # Name order != time order != size order: only the time decides.
        t.files[f"{folder}/{code}_FULL_{stamp}_011000.bak"] = (big * 3, at(today, 1, 10, 0, tz))
        t.files[f"{folder}/{code}_FULL_{stamp}_024000.zip"] = (big * 2, at(today, 2, 40, 0, tz))
        t.files[f"{folder}/{code}_COPY_{stamp}_042000.BAK"] = (1048576, at(today, 4, 20, 0, tz))
        if rng.random() < 0.5:
            # Newest of the day but too small: success still names the 04:20 file.
            t.files[f"{folder}/{code}_PARTIAL_{stamp}_045000.bak"] = (300_000, at(today, 4, 50, 0, tz))
    elif s == "many_files":
        add_history(t, folder, rng, code, days_ending(today, n), tz)
        add_noise(t, folder, rng, code, today, tz)
        first_old = today - timedelta(days=n)
        present = sum(1 for p in list(t.files) + list(t.dirs) if p.startswith(folder + "/"))
        for k in range(MANY_FILES - present):
            d = first_old - timedelta(days=k // 4)
            hour = 1 + (k % 4)
            if k % 2 == 0:
                t.files[f"{folder}/{code}_FULL_{d:%Y%m%d}_{hour:02d}3000.bak"] = (
                    jitter(rng, MIN_SIZE * 4), at(d, hour, 30, 0, tz))
            else:
                t.files[f"{folder}/{code}_LOG_{d:%Y%m%d}_{hour:02d}4500.trn"] = (
                    rng.randint(1, 50) * MIB, at(d, hour, 45, 0, tz))
        return
    elif s == "non_ascii":
        add_history(t, folder, rng, code, days_ending(today, n), tz, style="non_ascii")
    else:  # healthy, access_denied
        add_history(t, folder, rng, code, days_ending(today, n), tz)
    add_noise(t, folder, rng, code, today, tz)
    if s == "access_denied":
        t.locked.append(folder)


def ibstorage(t: Tree, o: OutletPlan, ctx: Context) -> None:
    rng = random.Random(f"ib:{ctx.seed}:{o.code}")
    s, code, tz, today = o.ibstorage, o.code, ctx.tz, ctx.today
    found = None if s == "none" else o.ib_letter_index
    kinds = []
    for i, _ in enumerate(IB_DRIVES):
        if i == found:
            kinds.append("folder")
        else:
            kinds.append("missing" if rng.random() < 0.5 else "share")
    if s == "none" and "share" not in kinds:
        kinds[rng.randrange(len(kinds))] = "share"
    for share, kind in zip(IB_DRIVES, kinds):
        root = share.rstrip("$")
        if kind == "missing":
            continue
        t.dirs[root] = at(today - timedelta(days=100), 9, 0, 0, tz)
        if kind == "share":
            # A drive without the folder (another USB stick, a DVD drive, ...).
            t.dirs[f"{root}/Backups"] = at(today - timedelta(days=50), 9, 0, 0, tz)
            t.files[f"{root}/Backups/{code}_FULL_{today:%Y%m%d}_030000.bak"] = (
                5 * MIB, at(today, 3, 0, 0, tz))
            continue
        folder = f"{root}/{FOLDER}"
        t.dirs[folder] = at(today - timedelta(days=100), 9, 0, 0, tz)
        n = ctx.history_days
        if s == "empty":
            continue
        if s == "stale":
            add_history(t, folder, rng, code, days_ending(today - timedelta(days=rng.randint(1, 5)), n), tz)
        elif s == "too_small":
            add_history(t, folder, rng, code, days_ending(today - timedelta(days=1), n - 1), tz)
            t.files[f"{folder}/{code}_FULL_{today:%Y%m%d}_031500.bak"] = (
                rng.randint(0, 1048575), at(today, 3, 15, 0, tz))
        else:
            add_history(t, folder, rng, code, days_ending(today, n), tz)
        t.files[f"{folder}/copy_{today:%Y%m%d}.log"] = (2048, at(today, 5, 30, 0, tz))


def add_content(t: Tree, code: str) -> None:
    """Every backup-named file that has no content yet gets the head and tail of a good backup
    of its kind (SQL Server's database and server named after the outlet)."""
    for rel, (size, _) in t.files.items():
        if rel in t.content:
            continue
        parts = content.for_file(rel.rsplit("/", 1)[-1], size, database=code, server=code)
        if parts is not None:
            t.content[rel] = parts


def tree_for(o: OutletPlan, ctx: Context) -> Tree:
    t = Tree()
    ddrive(t, o, ctx)
    ibstorage(t, o, ctx)
    add_content(t, o.code)
    return t
