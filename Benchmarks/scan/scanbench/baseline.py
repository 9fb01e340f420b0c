"""The original system's scan method, as the baseline: Python smbprotocol from a thread pool.

Run as a child process from the venv: `python -m scanbench.baseline JOB.json` (PYTHONPATH =
Benchmarks/scan). For each outlet a worker registers an SMB session with the high-level
`smbclient` API (NTLM, signing as negotiated, the same connect timeout as ours), lists the
folder with `scandir` (ddrive: SHARE\\FOLDER; ibstorage: IB_STORAGE_FOLDER on each share of
IB_STORAGE_DRIVES in order until one has it), takes names, sizes and LastWriteTimes from the
listing itself (FileIdFullDirectoryInformation: no per-file request), applies the SPEC §4 rule
and closes its connection. Prints one JSON document on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import smbclient

from scanbench.rule import Entry, evaluate

FILE_ATTRIBUTE_DIRECTORY = 0x10

# NT status codes ([MS-ERREF] 2.3.1) that mean "this share or folder is not here".
STATUS_BAD_NETWORK_NAME = 0xC00000CC
STATUS_OBJECT_NAME_NOT_FOUND = 0xC0000034
STATUS_OBJECT_PATH_NOT_FOUND = 0xC000003A
# On OBJECT_NAME/PATH_NOT_FOUND smbclient (by default) asks the server for a DFS referral
# (IPC$, FSCTL_DFS_GET_REFERRALS) and raises that request's STATUS_NOT_FOUND from Samba.
STATUS_NOT_FOUND = 0xC0000225
NOT_HERE = {STATUS_BAD_NETWORK_NAME, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_NOT_FOUND}

# For the report only (the baseline's validity is judged on status and file).
KIND_BY_STATUS = {
    0xC000006D: "auth",  # LOGON_FAILURE
    0xC0000072: "auth",  # ACCOUNT_DISABLED
    0xC0000234: "auth",  # ACCOUNT_LOCKED_OUT
    0xC0000022: "access_denied",
    STATUS_BAD_NETWORK_NAME: "share_missing",
    STATUS_OBJECT_NAME_NOT_FOUND: "folder_missing",
    STATUS_OBJECT_PATH_NOT_FOUND: "folder_missing",
    STATUS_NOT_FOUND: "folder_missing",
}


def nt_status(error: BaseException) -> int | None:
    for attr in ("ntstatus", "status"):
        value = getattr(error, attr, None)
        if isinstance(value, int):
            return value
    return None


def error_kind(error: BaseException) -> str:
    status = nt_status(error)
    if status in KIND_BY_STATUS:
        return KIND_BY_STATUS[status]
    text = str(error)
    if isinstance(error, (OSError, TimeoutError)) or "Failed to connect" in text or "timeout" in text.lower():
        return "unreachable"
    return "protocol"


def list_folder(path: str, cache: dict) -> list[Entry]:
    entries = []
    with smbclient.scandir(path, connection_cache=cache) as it:
        for e in it:
            info = e.smb_info
            entries.append(
                Entry(
                    name=e.name,
                    size=info.end_of_file,
                    last_write=info.last_write_time,
                    is_directory=bool(info.file_attributes & FILE_ATTRIBUTE_DIRECTORY),
                )
            )
    return entries


def scan_outlet(outlet: dict, job: dict, day: dt.date, tz: dt.tzinfo) -> dict:
    started = time.monotonic()
    host, port = outlet["host"], outlet["port"]
    cache: dict = {}
    result: dict
    try:
        smbclient.register_session(
            host,
            username=job["user"],
            password=job["password"],
            port=port,
            connection_timeout=job["connectTimeout"],
            connection_cache=cache,
            auth_protocol="ntlm",
        )
        result = {"status": "failed", "errorKind": "drive_not_found", "file": None, "error": "no share has the folder"}
        for share in job["shares"]:
            path = f"\\\\{host}\\{share}\\{job['folder']}"
            try:
                entries = list_folder(path, cache)
            except Exception as error:  # noqa: BLE001 - any server answer is a result
                if job["mode"] == "ibstorage" and nt_status(error) in NOT_HERE:
                    continue
                raise
            verdict = evaluate(entries, day, tz, job["patterns"], job["minBackupBytes"])
            result = {
                "status": verdict.status,
                "errorKind": verdict.error_kind,
                "file": verdict.file,
                "size": verdict.size,
                "share": share,
            }
            break
    except Exception as error:  # noqa: BLE001 - one outlet's failure never stops the others
        result = {"status": "failed", "errorKind": error_kind(error), "file": None, "error": f"{type(error).__name__}: {error}"[:300]}
    finally:
        try:
            smbclient.reset_connection_cache(fail_on_error=False, connection_cache=cache)
        except Exception:  # noqa: BLE001 - closing a dead connection must not change the result
            pass
    result["seconds"] = round(time.monotonic() - started, 4)
    return result


def run(job: dict) -> dict:
    day = dt.date.fromisoformat(job["date"])
    tz = ZoneInfo(job["timeZone"])
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=job["workers"]) as pool:
        futures = {o["code"]: pool.submit(scan_outlet, o, job, day, tz) for o in job["outlets"]}
        results = {code: f.result() for code, f in futures.items()}
    return {"workers": job["workers"], "seconds": round(time.monotonic() - started, 3), "results": results}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m scanbench.baseline JOB.json", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        job = json.load(f)
    json.dump(run(job), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
