"""`fleet check`: prove that what the servers say equals the manifest.

For a sample of outlets of every scenario it lists the folder with smbclient (the
manifest's credentials, the outlet's host), compares names/sizes/mtimes with the
files on disk, re-applies the SPEC §4 oracle to what smbclient listed and compares
with EXPECTED; failures must have the expected errorKind. Each network scenario
also gets a direct probe (raw SMB2 NEGOTIATE, connect behaviour, timing).
"""

from __future__ import annotations

import os
import random
import re
import socket
import struct
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import oracle
from .manifest import disk_listing

LS_LINE = re.compile(r"^  (?P<name>.*\S)\s+(?P<attr>[A-Za-z]+)\s+(?P<size>\d+)\s+"
                     r"(?P<date>\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})$")
NT_STATUS = re.compile(r"NT_STATUS_[A-Z0-9_]+")
STATUS_KIND = {
    "NT_STATUS_CONNECTION_REFUSED": "unreachable",
    "NT_STATUS_IO_TIMEOUT": "unreachable",
    "NT_STATUS_HOST_UNREACHABLE": "unreachable",
    "NT_STATUS_NETWORK_UNREACHABLE": "unreachable",
    "NT_STATUS_LOGON_FAILURE": "auth",
    "NT_STATUS_WRONG_PASSWORD": "auth",
    "NT_STATUS_ACCOUNT_DISABLED": "auth",
    "NT_STATUS_ACCOUNT_LOCKED_OUT": "auth",
    "NT_STATUS_PASSWORD_EXPIRED": "auth",
    "NT_STATUS_BAD_NETWORK_NAME": "share_missing",
    "NT_STATUS_OBJECT_NAME_NOT_FOUND": "folder_missing",
    "NT_STATUS_OBJECT_PATH_NOT_FOUND": "folder_missing",
    "NT_STATUS_NO_SUCH_FILE": "no_backup",
    "NT_STATUS_ACCESS_DENIED": "access_denied",
    "NT_STATUS_CONNECTION_DISCONNECTED": "protocol",
    "NT_STATUS_CONNECTION_RESET": "protocol",
    "NT_STATUS_INVALID_NETWORK_RESPONSE": "protocol",
    "NT_STATUS_NOT_SUPPORTED": "protocol",
}
SIGNING_REQUIRED = 0x0002  # [MS-SMB2] 2.2.4 SecurityMode


class Smb:
    """Runs smbclient with a private client config (nothing under /etc or /var is used)."""

    def __init__(self, root: Path, tz: str):
        self.conf = root / "client" / "smb.conf"
        if not self.conf.exists():
            d = self.conf.parent
            for sub in ("cache", "lock", "state", "private"):
                (d / sub).mkdir(parents=True, exist_ok=True)
            self.conf.write_text(
                "[global]\n"
                f"  cache directory = {d}/cache\n  lock directory = {d}/lock\n"
                f"  state directory = {d}/state\n  private dir = {d}/private\n"
                "  client min protocol = SMB2_02\n")
        self.env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
                    "TZ": tz, "LC_ALL": "C.UTF-8", "HOME": str(root / "client")}

    def run(self, host, share, user, password, command, extra=(), timeout=60):
        argv = ["smbclient", f"//{host}/{share}", "-s", str(self.conf), "-U", f"{user}%{password}",
                *extra, "-c", command]
        try:
            r = subprocess.run(argv, capture_output=True, timeout=timeout, env=self.env)
        except subprocess.TimeoutExpired:
            return 124, "smbclient did not finish: NT_STATUS_IO_TIMEOUT (local timeout)"
        out = (r.stdout + r.stderr).decode("utf-8", "surrogateescape")
        return r.returncode, out


def parse_ls(out: str):
    entries = []
    for line in out.splitlines():
        m = LS_LINE.match(line)
        if not m or m["name"] in (".", ".."):
            continue
        entries.append((m["name"], "D" in m["attr"], int(m["size"]),
                        datetime.strptime(m["date"], "%a %b %d %H:%M:%S %Y")))
    return entries


def classify(rc: int, out: str):
    """('listing', entries) or ('failed', errorKind, NT_STATUS)."""
    st = NT_STATUS.search(out)
    if rc == 0 and not st:
        return ("listing", parse_ls(out))
    status = st.group(0) if st else f"rc={rc}"
    return ("failed", STATUS_KIND.get(status, "protocol"), status)


def compare_listing(listed, folder: Path | None, tz: ZoneInfo):
    """Names, kinds, sizes and mtimes (to the second, in TZ) against the disk."""
    problems = []
    disk = {e.name: e for e in disk_listing(folder)} if folder is not None else {}
    entries = []
    seen = set()
    for name, is_dir, size, local in listed:
        seen.add(name)
        d = disk.get(name)
        if folder is not None and d is None:
            problems.append(f"{name!r} listed but not on disk")
            continue
        if d is not None:
            d_local = datetime.fromtimestamp(d.mtime, tz).replace(tzinfo=None)
            if d.is_dir != is_dir or (not is_dir and d.size != size) or d_local != local:
                problems.append(f"{name!r}: listed dir={is_dir} size={size} {local} "
                                f"vs disk dir={d.is_dir} size={d.size} {d_local}")
                continue
            mtime = d.mtime
        else:
            mtime = int(local.replace(tzinfo=tz).timestamp())
        entries.append(oracle.Entry(name, is_dir, size, mtime))
    for name in disk.keys() - seen:
        problems.append(f"{name!r} on disk but not listed")
    return entries, problems


def compare_expected(got: dict, want: dict, what: str):
    if got == want:
        return []
    diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
    return [f"{what}: got != manifest on {diff}"]


def check_mode(smb: Smb, m: dict, o: dict, mode: str):
    tz = ZoneInfo(m["timeZone"])
    creds = m["credentials"][mode]
    want = o[mode]
    days = [date.fromisoformat(d) for d in want]
    tree = Path(o["tree"]) if o.get("tree") else None
    shares = [m["share"]] if mode == "ddrive" else m["ibStorageDrives"]
    folder_name = m["folder"] if mode == "ddrive" else m["ibStorageFolder"]
    problems = []
    tried = []
    for share in shares:
        rc, out = smb.run(o["host"], share, creds["user"], creds["password"], f"ls {folder_name}/*")
        c = classify(rc, out)
        letter = share.rstrip("$").upper() if mode == "ibstorage" else None
        if c[0] == "failed":
            kind, status = c[1], c[2]
            tried.append(f"{share}:{status}")
            if mode == "ibstorage" and kind in ("share_missing", "folder_missing"):
                continue  # not the USB drive; try the next letter
            for d in want:
                problems += compare_expected({"status": "failed", "errorKind": kind},
                                             {k: want[d][k] for k in ("status", "errorKind")},
                                             f"{mode} {d} ({status})")
            return problems, tried
        folder = tree / share.rstrip("$") / folder_name if tree else None
        entries, p = compare_listing(c[1], folder, tz)
        problems += [f"{mode} {share} listing: {x}" for x in p]
        if o.get("folders", {}).get(share) != folder_name:
            problems.append(f"{mode}: {share}/{folder_name} listed but folders={o.get('folders')}")
        for d in days:
            got = oracle.evaluate(entries, d, tz, m["patterns"], m["minBackupBytes"], letter)
            problems += compare_expected(got, want[d.isoformat()], f"{mode} {d}")
        tried.append(f"{share}:listed {len(entries)}")
        return problems, tried
    for d in want:  # ibstorage: no letter had the folder
        problems += compare_expected({"status": "failed", "errorKind": "drive_not_found"},
                                     {k: want[d][k] for k in ("status", "errorKind")}, f"{mode} {d}")
    return problems, tried


# --- raw probes -------------------------------------------------------------------

def smb2_negotiate(host: str, port: int, dialects=(0x0202, 0x0210, 0x0300, 0x0302), timeout=5.0):
    """Send one SMB2 NEGOTIATE ([MS-SMB2] 2.2.3) and return (dialect, securityMode, seconds),
    or raise ConnectionError when the peer does not answer SMB2."""
    header = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ", 64, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + bytes(16)
    body = struct.pack("<HHHHI", 36, len(dialects), 1, 0, 0) + os.urandom(16) + struct.pack("<Q", 0)
    body += b"".join(struct.pack("<H", d) for d in dialects)
    msg = header + body
    with socket.create_connection((host, port), timeout=timeout) as s:
        t0 = time.monotonic()
        s.sendall(struct.pack(">I", len(msg)) + msg)
        head = _recv_exact(s, 4)
        reply = _recv_exact(s, struct.unpack(">I", head)[0] & 0xFFFFFF)
        elapsed = time.monotonic() - t0
    if reply[:4] != b"\xfeSMB":
        raise ConnectionError(f"not an SMB2 reply: {reply[:4]!r}")
    status = struct.unpack_from("<I", reply, 8)[0]
    if status != 0:
        raise ConnectionError(f"NEGOTIATE status 0x{status:08x}")
    _, security_mode, dialect = struct.unpack_from("<HHH", reply, 64)  # [MS-SMB2] 2.2.4
    return dialect, security_mode, elapsed


def _recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by peer")
        buf += chunk
    return buf


def probe_network(smb: Smb, m: dict, o: dict):
    """Scenario-specific evidence that the outlet's network behaviour is real."""
    net, host, port = o["scenario"]["network"], o["host"], o["port"]
    inst = {i["name"]: i for i in m["instances"]}
    cd = m["credentials"]["ddrive"]
    try:
        if net in ("ok", "encrypt", "signing", "smb2_10", "wrongpass"):
            dialect, mode, _ = smb2_negotiate(host, port)
            want_dialect = 0x0210 if net == "smb2_10" else 0x0302
            if dialect != want_dialect:
                return [f"negotiated dialect 0x{dialect:04x}, expected 0x{want_dialect:04x}"]
            required = bool(mode & SIGNING_REQUIRED)
            if required != (net == "signing"):
                return [f"signing required={required} for network={net}"]
            if net == "encrypt":
                rc, out = smb.run(host, "d$", cd["user"], cd["password"], "ls", ["-m", "SMB2_10"])
                if "NT_STATUS_ACCESS_DENIED" not in out:
                    return [f"SMB 2.1 (no encryption) was not refused: {out.strip()[:200]}"]
            if net == "wrongpass":
                pw = inst["wrongpass"]["options"]["passwords"][cd["user"]]
                rc, out = smb.run(host, "d$", cd["user"], pw, "ls")
                if rc != 0:
                    return [f"wrongpass instance rejects its own password: {out.strip()[:200]}"]
        elif net == "smb1":
            try:
                smb2_negotiate(host, port)
                return ["SMB1-only instance answered an SMB2 NEGOTIATE"]
            except (ConnectionError, OSError):
                pass
            rc, out = smb.run(host, "d$", cd["user"], cd["password"], "ls",
                              ["-m", "NT1", "--option=client min protocol=NT1"])
            if rc != 0:
                return [f"SMB1 client cannot use the SMB1-only instance: {out.strip()[:200]}"]
        elif net == "slow":
            up = o["upstream"]
            direct = min(smb2_negotiate(up, port)[2] for _ in range(3))
            proxied = min(smb2_negotiate(host, port)[2] for _ in range(3))
            want = inst["netsim"]["options"]["latencyMs"] / 1000.0
            if proxied < 0.8 * want:
                return [f"proxied NEGOTIATE took {proxied * 1000:.1f} ms (direct {direct * 1000:.1f} ms), "
                        f"expected >= {0.8 * want * 1000:.0f} ms"]
        elif net == "refused":
            try:
                socket.create_connection((host, port), timeout=2).close()
                return ["connection accepted, expected refused"]
            except ConnectionRefusedError:
                pass
        elif net == "blackholed":
            try:
                socket.create_connection((host, port), timeout=2).close()
                return ["connection accepted, expected a connect timeout"]
            except (TimeoutError, socket.timeout):
                pass
        elif net == "tarpit":
            try:
                smb2_negotiate(host, port, timeout=2)
                return ["tarpit answered"]
            except (TimeoutError, socket.timeout):
                pass
    except OSError as e:
        return [f"probe for network={net}: {e!r}"]
    return []


def check_accounts(smb: Smb, m: dict):
    host = next((o["host"] for o in m["outlets"] if o["scenario"]["network"] == "ok"), None)
    if host is None:
        return []
    problems = []
    for key, status in (("disabled", "NT_STATUS_ACCOUNT_DISABLED"), ("locked", "NT_STATUS_ACCOUNT_LOCKED_OUT")):
        c = m["credentials"][key]
        rc, out = smb.run(host, "d$", c["user"], c["password"], "ls")
        if status not in out:
            problems.append(f"{key} account {c['user']}@{host}: expected {status}, got {out.strip()[:200]}")
    return problems


def label(o: dict) -> str:
    s = o["scenario"]
    if s["network"] != "ok":
        return f"network:{s['network']}"
    if s["ddrive"] != "healthy":
        return f"ddrive:{s['ddrive']}"
    if s["ibstorage"] != "healthy":
        return f"ibstorage:{s['ibstorage']}"
    return "healthy"


def run_check(root: Path, m: dict, sample: int, workers: int = 16) -> int:
    smb = Smb(root, m["timeZone"])
    groups: dict[str, list[dict]] = {}
    for o in m["outlets"]:
        groups.setdefault(label(o), []).append(o)
    rng = random.Random(f"check:{m['seed']}")
    chosen = []
    for name in sorted(groups):
        items = groups[name]
        chosen += items if sample <= 0 or sample >= len(items) else rng.sample(items, sample)

    def task(job):
        o, what = job
        if what == "probe":
            return o, [f"network probe: {x}" for x in probe_network(smb, m, o)], {}
        problems, tried = check_mode(smb, m, o, what)
        return o, problems, {what: tried}

    t0 = time.monotonic()
    jobs = [(o, what) for o in chosen for what in ("ddrive", "ibstorage", "probe")]
    merged: dict[str, tuple[dict, list, dict]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        account_future = pool.submit(check_accounts, smb, m)
        for o, problems, notes in pool.map(task, jobs):
            entry = merged.setdefault(o["code"], (o, [], {}))
            entry[1].extend(problems)
            entry[2].update(notes)
        account_problems = account_future.result()
    results = list(merged.values())
    per_label: dict[str, list[int]] = {}
    failures = []
    for o, problems, notes in results:
        cell = per_label.setdefault(label(o), [0, 0])
        cell[0] += 1
        if problems:
            failures.append((o, problems, notes))
        else:
            cell[1] += 1
    width = max(len(k) for k in per_label) if per_label else 10
    print(f"{'scenario':<{width}}  checked  ok  (of fleet)")
    for name in sorted(per_label):
        checked, ok = per_label[name]
        print(f"{name:<{width}}  {checked:7d}  {ok:2d}  ({len(groups[name])})")
    for o, problems, notes in failures[:40]:
        print(f"MISMATCH {o['code']} {o['host']} [{label(o)}] tried={notes}")
        for p in problems[:10]:
            print(f"    {p}")
    for p in account_problems:
        print(f"MISMATCH accounts: {p}")
    bad = len(failures) + len(account_problems)
    print(f"fleet check: {len(results)} outlets, {len(failures)} mismatching, accounts "
          f"{'ok' if not account_problems else 'MISMATCH'}, {time.monotonic() - t0:.1f} s")
    return 1 if bad else 0
