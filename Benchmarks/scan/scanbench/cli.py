"""Scan benchmark: our release binary against the original system's method on the simulated fleet.

Started by scripts/benchmark (which installs what is needed and builds the binary); see
Benchmarks/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from scanbench import procstat, report, validate
from scanbench.fleet import Fleet, cleanup_if_ours, fleet_lock, log
from scanbench.measure import run_measured

CASES = ["healthy", "mixed", "blackholed", "latency", "loaded", "choked"]
# The fleet profile of each case; "loaded" is the realistic mix scanned while busy loops (two
# per core, started and killed around each scan) take the machine: a starved monitor; "choked"
# the same mix over a saturated path (`fleet choke`, set and removed around each scan).
PROFILES = {"loaded": "mixed", "choked": "mixed"}
# The choked case's path: what the fleet test of it uses (OverloadFleetTests).
CHOKE = ["--rate", "4mbit", "--burst-rate", "256kbit", "--every", "4", "--length", "1.5"]


class CPUHogs:
    """Busy loops for the length of one scan (a VM without its cores, other work on the host)."""

    def __init__(self, count: int):
        self.count = count
        self.processes: list[subprocess.Popen] = []

    def __enter__(self):
        for _ in range(self.count):
            self.processes.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.kill()
        for process in self.processes:
            process.wait()


class ChokedPath:
    """`fleet choke` for the length of one scan (a saturated uplink or VPN), when `enabled`."""

    def __init__(self, manifest: dict, enabled: bool):
        self.root = manifest["root"]
        self.enabled = enabled
        self.script = str(REPO / "scripts" / "fleet" / "fleet")

    def __enter__(self):
        if self.enabled:
            subprocess.run([self.script, "choke", "--root", self.root, *CHOKE], check=True,
                           stdout=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc):
        if self.enabled:
            subprocess.run([self.script, "choke", "--root", self.root, "--off"], stdout=subprocess.DEVNULL)


MODES = ["ddrive", "ibstorage"]
SCAN_DIR = Path(__file__).resolve().parents[1]  # Benchmarks/scan
REPO = SCAN_DIR.parents[1]
DEFAULT_WORK = Path("/var/tmp/backup-monitor-bench")
DEFAULT_VENV_PYTHON = "/var/tmp/backup-monitor-bench-venv/bin/python"


def csv_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="scripts/benchmark scan",
        description="Scan 1000 simulated outlets with backup-monitor and with Python smbprotocol "
        "(the original system's method); report wall time, CPU, peak RSS and the smbd floor.",
    )
    p.add_argument("--binary", required=True, help="the release backup-monitor binary")
    p.add_argument("--runs", type=int, default=3, help="repetitions of every scanner per case and mode (default 3)")
    p.add_argument(
        "--baseline-runs", type=int, default=None,
        help="repetitions of each baseline (default: --runs); the baseline takes 2-4x ours' time per run",
    )
    p.add_argument("--size", type=int, default=1000, help="outlets in the fleet (default 1000)")
    p.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {','.join(CASES)}")
    p.add_argument("--modes", default=",".join(MODES), help="ddrive,ibstorage")
    p.add_argument("--workers", default="16,64", help="thread-pool sizes of the baseline (default 16,64)")
    p.add_argument("--quick", action="store_true", help="smoke test: size 200, 1 run, healthy only, both modes")
    p.add_argument("--latency-ms", type=float, default=40, help="round trip of the latency case (default 40)")
    p.add_argument("--no-baseline", action="store_true", help="measure ours only")
    p.add_argument(
        "--ours-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one of ours' settings (e.g. SCAN_CONCURRENCY=64); default: the product's defaults",
    )
    p.add_argument("--timeout", type=float, default=900, help="seconds one scan may take before it is killed")
    p.add_argument("--out", default=str(REPO / "artifacts" / "benchmarks"), help="where the .json and .md go")
    p.add_argument("--work", default=str(DEFAULT_WORK), help="scratch folder (databases, scan outputs)")
    p.add_argument("--venv-python", default=DEFAULT_VENV_PYTHON, help="python with smbprotocol installed")
    p.add_argument("--cleanup", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.quick:
        a.size, a.runs, a.cases = 200, 1, "healthy"
    a.cases = csv_list(a.cases)
    a.modes = csv_list(a.modes)
    a.workers = [int(w) for w in csv_list(a.workers)]
    for c in a.cases:
        if c not in CASES:
            p.error(f"--cases: unknown case {c!r} (known: {', '.join(CASES)})")
    for m in a.modes:
        if m not in MODES:
            p.error(f"--modes: unknown mode {m!r} (known: {', '.join(MODES)})")
    if a.runs < 1:
        p.error("--runs must be at least 1")
    if a.baseline_runs is None:
        a.baseline_runs = a.runs
    if not 1 <= a.baseline_runs <= a.runs:
        p.error("--baseline-runs must be between 1 and --runs")
    if a.size < 25 and "mixed" in a.cases:
        p.error("--size must be at least 25 for the mixed case (every scenario once)")
    for kv in a.ours_env:
        if "=" not in kv:
            p.error(f"--ours-env: expected KEY=VALUE, got {kv!r}")
    return a


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


class Case:
    """One (case, mode) in one fleet-up: everything a scan of it needs."""

    def __init__(self, args, name: str, mode: str, manifest: dict, work: Path, cores: int):
        self.args = args
        self.name = name
        self.mode = mode
        self.manifest = manifest
        self.work = work
        self.cores = cores
        self.day = manifest["today"]
        self.codes = [o["code"] for o in manifest["outlets"]]
        self.expected = validate.expected_outcomes(manifest, mode, self.day)
        smbd = [i for i in manifest["instances"] if i["kind"] == "smbd"]
        self.smbd_names = {i["name"] for i in smbd}
        self.smbd_pids = [i["pid"] for i in smbd]
        self.netsim_pids = [i["pid"] for i in manifest["instances"] if i["kind"] == "netsim"]
        # One SMB session per outlet that reaches an smbd (directly or through the proxy).
        self.sessions = sum(
            1 for o in manifest["outlets"] if o.get("upstream") or o.get("instance") in self.smbd_names
        )
        self.idle_children = procstat.live_descendant_count(self.smbd_pids)
        self.write_inputs()

    # ---- inputs -------------------------------------------------------------------------

    def ours_env(self, db: Path) -> dict[str, str]:
        m = self.manifest
        c = m["credentials"]
        env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "USER": c["ddrive"]["user"],
            "PASS": c["ddrive"]["password"],
            "SMB_USER": c["ibstorage"]["user"],
            "SMB_PASS": c["ibstorage"]["password"],
            "SHARE": m["share"],
            "FOLDER": m["folder"],
            "IB_STORAGE_DRIVES": ",".join(m["ibStorageDrives"]),
            "IB_STORAGE_FOLDER": m["ibStorageFolder"],
            "BACKUP_PATTERNS": ",".join(m["patterns"]),
            "MIN_BACKUP_BYTES": str(m["minBackupBytes"]),
            "TZ": m["timeZone"],
            "DATABASE_URL": f"sqlite:{db}",
            "LOG_DIR": str(self.work / "logs"),
        }
        for kv in self.args.ours_env:
            k, v = kv.split("=", 1)
            env[k] = v
        return env

    def write_inputs(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        self.csv = self.work / "outlets.csv"
        with open(self.csv, "w") as f:
            f.write("code,host,port,name,region,enabled\n")
            for o in self.manifest["outlets"]:
                f.write(f'{o["code"]},{o["host"]},{o["port"]},"{o["name"]}","{o["region"]}",true\n')
        self.connect_timeout = self.ours_setting("SMB_CONNECT_TIMEOUT")
        m = self.manifest
        if self.mode == "ddrive":
            cred, shares, folder = m["credentials"]["ddrive"], [m["share"]], m["folder"]
        else:
            cred, shares, folder = m["credentials"]["ibstorage"], m["ibStorageDrives"], m["ibStorageFolder"]
        self.jobs = {}
        for workers in self.args.workers:
            job = {
                "mode": self.mode,
                "date": self.day,
                "timeZone": m["timeZone"],
                "patterns": m["patterns"],
                "minBackupBytes": m["minBackupBytes"],
                "user": cred["user"],
                "password": cred["password"],
                "shares": shares,
                "folder": folder,
                "workers": workers,
                "connectTimeout": float(self.connect_timeout),
                "outlets": [{"code": o["code"], "host": o["host"], "port": o["port"]} for o in m["outlets"]],
            }
            path = self.work / f"baseline-{workers}.job.json"
            path.write_text(json.dumps(job))
            self.jobs[workers] = path

    def ours_setting(self, name: str) -> str:
        """The effective value of one of ours' settings, as `backup-monitor config` prints it."""
        env = self.ours_env(self.work / "config-probe.sqlite")
        done = subprocess.run(
            [self.args.binary, "config"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        match = re.search(rf"^{name}\s+(\S+)", done.stdout, re.MULTILINE)
        if done.returncode != 0 or not match:
            raise RuntimeError(f"backup-monitor config did not print {name}:\n{done.stdout[-2000:]}")
        return match.group(1)

    # ---- one scan -------------------------------------------------------------------------

    def settle(self, limit: float = 15.0) -> int:
        """Waits until the session children of the last scan have exited and been reaped."""
        deadline = time.monotonic() + limit
        last, stable_since = None, time.monotonic()
        while True:
            n = procstat.live_descendant_count(self.smbd_pids)
            if n <= self.idle_children:
                return n
            if n != last:
                last, stable_since = n, time.monotonic()
            elif time.monotonic() - stable_since > 2.0:
                # A helper started lazily (smbd-cleanupd etc.): the new idle count.
                self.idle_children = n
                return n
            if time.monotonic() > deadline:
                return n
            time.sleep(0.05)

    def scan(self, side: str, rep: int) -> dict:
        run_dir = self.work / f"run{rep}-{side}"
        run_dir.mkdir(parents=True, exist_ok=True)
        record = {
            "case": self.name,
            "mode": self.mode,
            "side": side,
            "run": rep,
            "outlets": len(self.codes),
            "sessions": self.sessions,
            "cores": self.cores,
            "error": None,
            "differences": [],
            "notes": [],
        }
        if side == "ours":
            db = run_dir / "db.sqlite"
            env = self.ours_env(db)
            imp = subprocess.run(
                [self.args.binary, "outlets", "import", str(self.csv)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            if imp.returncode != 0:
                raise RuntimeError(f"outlets import failed:\n{imp.stdout[-2000:]}")
            argv = [self.args.binary, "scan", "--mode", self.mode, "--date", self.day, "--format", "json", "--quiet"]
        else:
            workers = int(side.rsplit("-", 1)[1])
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": os.environ.get("HOME", "/root"),
                "LANG": "C.UTF-8",
                "PYTHONPATH": str(SCAN_DIR),
            }
            argv = [self.args.venv_python, "-m", "scanbench.baseline", str(self.jobs[workers])]

        self.settle()
        before = procstat.snapshot(self.smbd_pids)
        before_netsim = procstat.snapshot(self.netsim_pids)
        machine_before = procstat.machine_cpu()
        hogs = CPUHogs(2 * self.cores if self.name == "loaded" else 0)
        choke = ChokedPath(self.manifest, self.name == "choked")
        with hogs, choke, procstat.Sampler(self.smbd_pids) as sampler:
            m = run_measured(argv, env, run_dir / "stdout.json", run_dir / "stderr.txt", self.args.timeout)
        machine_after = procstat.machine_cpu()
        record["liveAtEnd"] = procstat.live_descendant_count(self.smbd_pids) - self.idle_children
        self.settle()
        after = procstat.snapshot(self.smbd_pids)
        after_netsim = procstat.snapshot(self.netsim_pids)
        tps = procstat.ticks_per_second()
        d = procstat.delta(before, after, tps)
        dn = procstat.delta(before_netsim, after_netsim, tps)
        record.update(
            {
                "wall": m.wall,
                "cpu": m.cpu,
                "user": m.user,
                "sys": m.sys,
                "maxrssMB": m.maxrss_mb,
                "returncode": m.returncode,
                "smbdCPU": d.seconds,
                "smbdOwnCPU": d.own_seconds,
                "smbdReapedCPU": d.reaped_seconds,
                "smbdLiveCPU": d.live_seconds,
                "smbdLiveAfterSettle": max(0, d.live_descendants_after - self.idle_children),
                "smbdMaxConcurrentSessions": max(0, sampler.max_live - self.idle_children),
                "smbdTreeMaxDropTicks": sampler.max_drop_ticks,
                "samples": sampler.samples,
                "netsimCPU": dn.seconds if self.netsim_pids else None,
                "floor": d.seconds / self.cores,
            }
        )
        # Everything else the machine did meanwhile (other engineers' builds): the noise indicator.
        # Reaped CPU of the sessions still open at the end is counted after the settle, so this is
        # read over the scan only; a few ticks of difference are rounding.
        busy = (machine_after.busy - machine_before.busy) / tps
        record["machineBusyCPU"] = busy
        record["machineIdleCPU"] = (machine_after.idle - machine_before.idle) / tps
        record["otherCPU"] = max(0.0, busy - m.cpu - d.seconds - (dn.seconds if self.netsim_pids else 0.0))
        durations: list[float] = []
        if m.timed_out:
            record["error"] = f"killed after {self.args.timeout:.0f} s"
        elif side == "ours" and m.returncode not in (0, 1):
            record["error"] = f"exit {m.returncode}: {(run_dir / 'stderr.txt').read_text()[-500:]}"
        elif side != "ours" and m.returncode != 0:
            record["error"] = f"exit {m.returncode}: {(run_dir / 'stderr.txt').read_text()[-500:]}"
        else:
            try:
                document = json.loads((run_dir / "stdout.json").read_text())
            except ValueError as error:
                record["error"] = f"unreadable output: {error}"
            else:
                if side == "ours":
                    got = validate.ours_outcomes(document)
                    durations = [r["Duration"] for r in document["data"]]
                    # The scan itself as ours times it (wall minus start-up, database open, output).
                    record["processingTime"] = document.get("processingTime")
                else:
                    got = validate.baseline_outcomes(document)
                    durations = [r["seconds"] for r in document["results"].values()]
                    kinds: dict[str, int] = {}
                    for r in document["results"].values():
                        if r["status"] == "failed":
                            kinds[r.get("errorKind") or "?"] = kinds.get(r.get("errorKind") or "?", 0) + 1
                    record["failureKinds"] = kinds
                if side == "ours":
                    # The second pass and the adaptive concurrency (issue 14): what the overload cost.
                    record["firstPass"] = document.get("firstPass")
                    record["retried"] = document.get("retriedCount")
                    record["recovered"] = document.get("recoveredCount")
                    record["degraded"] = document.get("degraded")
                    record["concurrency"] = [step["limit"] for step in document.get("concurrency", [])]
                # Outlets the manifest calls good that the scanner stored as failed.
                record["falseFailures"] = sum(
                    1
                    for code, want in self.expected.items()
                    if want.status == "success" and code in got and got[code].status != "success"
                )
                cmp = validate.compare(self.expected, got, strict=side == "ours")
                record["differences"] = cmp.differences
                record["notes"] = cmp.notes
                record["succeeded"] = sum(1 for o in got.values() if o.status == "success")
        record["valid"] = record["error"] is None and not record["differences"]
        record["outletSeconds"] = {
            "p50": percentile(durations, 0.5),
            "p95": percentile(durations, 0.95),
            "p99": percentile(durations, 0.99),
            "max": max(durations) if durations else None,
        }
        if record["valid"]:
            for name in ("db.sqlite", "db.sqlite-wal", "db.sqlite-shm"):
                (run_dir / name).unlink(missing_ok=True)
        return record


def describe(r: dict) -> str:
    state = "valid" if r["valid"] else f"VOID ({r['error'] or str(len(r['differences'])) + ' differences'})"
    per_session = r["smbdCPU"] * 1000 / r["sessions"] if r["sessions"] else 0
    tail = r["outletSeconds"]["max"]
    extra = f", netsim {r['netsimCPU']:.2f} s" if r.get("netsimCPU") else ""
    extra += f", others {r['otherCPU']:.1f} s, idle {r['machineIdleCPU']:.1f} s"
    return (
        f"wall {r['wall']:.2f} s, CPU {r['cpu']:.2f} s, RSS {r['maxrssMB']:.0f} MB, "
        f"smbd {r['smbdCPU']:.2f} s ({per_session:.1f} ms/session), floor {r['floor']:.2f} s{extra}, "
        f"slowest outlet {tail if tail is None else round(tail, 2)} s, "
        f"{r.get('smbdMaxConcurrentSessions', 0)} sessions at once, "
        f"false failures {r.get('falseFailures', '?')}{second_pass(r)}, {state}"
    )


def second_pass(r: dict) -> str:
    """`, retried 24 (0 recovered), concurrency 32..256 (min 32)` for ours' runs."""
    if r.get("retried") is None:
        return ""
    curve = r.get("concurrency") or []
    limits = f", concurrency {curve[0]}..{curve[-1]} (min {min(curve)}, {len(curve)} steps)" if curve else ""
    return f", retried {r['retried']} ({r['recovered']} recovered){limits}{', DEGRADED' if r.get('degraded') else ''}"


def git(*argv: str) -> str:
    done = subprocess.run(["git", "-C", str(REPO), *argv], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return done.stdout.strip()


def environment(args, cores: int) -> dict:
    venv_version = subprocess.run(
        [args.venv_python, "-c", "import importlib.metadata as m; print(m.version('smbprotocol'))"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ).stdout.strip()
    dirty = [line for line in git("status", "--porcelain", "--", "Sources", "Package.swift").splitlines() if line]
    return {
        "host": platform.node(),
        "kernel": platform.release(),
        "cores": cores,
        "loadAverageAtStart": os.getloadavg(),
        "gitHead": git("rev-parse", "--short", "HEAD"),
        "uncommittedSourceFiles": len(dirty),
        "binary": args.binary,
        "binaryModified": dt.datetime.fromtimestamp(os.stat(args.binary).st_mtime, dt.timezone.utc).isoformat(),
        "smbprotocol": venv_version,
        "python": platform.python_version(),
    }


def user_arguments(argv: list[str]) -> list[str]:
    """The command line without the paths scripts/benchmark adds (binary, venv, scratch)."""
    internal = {"--binary", "--venv-python", "--work"}
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a in internal:
            skip = True
        elif not any(a.startswith(k + "=") for k in internal):
            out.append(a)
    return out


def on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    marker = Path(args.work) / "fleet-owned.json"
    if args.cleanup:
        with fleet_lock(600):
            cleanup_if_ours(REPO, marker)
        return 0
    signal.signal(signal.SIGTERM, on_sigterm)
    cores = len(os.sched_getaffinity(0))
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    work = Path(args.work) / stamp
    sides = ["ours"] + ([] if args.no_baseline else [f"baseline-{w}" for w in args.workers])
    env_info = environment(args, cores)
    log(
        f"==> scan benchmark {stamp}: cases {','.join(args.cases)}, modes {','.join(args.modes)}, "
        f"{args.size} outlets, {args.runs} run(s) of {', '.join(sides)}; scratch {work}"
    )
    if env_info["uncommittedSourceFiles"]:
        log(f"    note: {env_info['uncommittedSourceFiles']} uncommitted files under Sources/ (the binary may include work in progress)")
    started = time.monotonic()
    runs: list[dict] = []
    fleet = Fleet(REPO, marker)
    meta_cases = []
    for case in args.cases:
        for mode in args.modes:
            log(f"==> {case} / {mode}")
            with fleet_lock():
                held = time.monotonic()
                try:
                    manifest = fleet.up(args.size, PROFILES.get(case, case), args.latency_ms)
                    c = Case(args, case, mode, manifest, work / f"{case}-{mode}", cores)
                    meta_cases.append(
                        {
                            "case": case,
                            "mode": mode,
                            "scanDate": c.day,
                            "sessions": c.sessions,
                            "expectedSuccess": sum(1 for e in c.expected.values() if e.status == "success"),
                            "connectTimeout": c.connect_timeout,
                            "firewall": manifest.get("firewall", {}).get("mode"),
                            "hostsFilesystem": manifest.get("hostsFilesystem"),
                        }
                    )
                    for rep in range(1, args.runs + 1):
                        # Rotate the order so that no side always runs first after a fleet-up.
                        k = (rep - 1) % len(sides)
                        for side in sides[k:] + sides[:k]:
                            if side != "ours" and rep > args.baseline_runs:
                                continue
                            r = c.scan(side, rep)
                            runs.append(r)
                            log(f"    run {rep}/{args.runs} {side:12} {describe(r)}")
                finally:
                    fleet.down()
                    log(f"    fleet down (lock held {time.monotonic() - held:.0f} s)")
    rows = report.summarise(runs)
    env_info["loadAverageAtEnd"] = os.getloadavg()
    env_info["elapsedSeconds"] = round(time.monotonic() - started, 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    command = "scripts/benchmark scan " + " ".join(shlex.quote(a) for a in user_arguments(argv))
    document = {
        "kind": "scan-benchmark",
        "createdAt": stamp,
        "command": command.strip(),
        "options": {
            "runs": args.runs,
            "baselineRuns": args.baseline_runs,
            "size": args.size,
            "cases": args.cases,
            "modes": args.modes,
            "workers": args.workers,
            "latencyMs": args.latency_ms,
            "oursEnv": args.ours_env,
        },
        "environment": env_info,
        "cases": meta_cases,
        "rows": [r.as_dict() for r in rows],
        "runs": runs,
    }
    json_path = out / f"scan-{stamp}.json"
    md_path = out / f"scan-{stamp}.md"
    json_path.write_text(json.dumps(document, indent=1) + "\n")
    md = render_markdown(document, rows, runs)
    md_path.write_text(md)
    print(md)
    log(f"==> wrote {json_path.relative_to(REPO) if json_path.is_relative_to(REPO) else json_path} and .md "
        f"({env_info['elapsedSeconds']:.0f} s)")
    return 0 if all(r["valid"] for r in runs) else 1


def render_markdown(document: dict, rows: list[report.Row], runs: list[dict]) -> str:
    e = document["environment"]
    o = document["options"]
    load = ", ".join(f"{x:.1f}" for x in e["loadAverageAtStart"])
    lines = [
        f"### Scan benchmark ({document['createdAt']})",
        "",
        f"`{document['command']}` — {o['size']} outlets, median of {o['runs']} run(s) of ours and "
        f"{o.get('baselineRuns', o['runs'])} of each baseline; {e['cores']} cores, "
        f"load average at start {load}; commit {e['gitHead']}"
        + (f" with {e['uncommittedSourceFiles']} uncommitted source files" if e["uncommittedSourceFiles"] else "")
        + f"; smbprotocol {e['smbprotocol']}. smbd runs on the same cores as the scanner.",
        "",
        report.markdown_table(rows),
        "wall: the scanner process from fork to exit (ours includes start-up and writing every record to SQLite); "
        "CPU: its user+system seconds; peak RSS: its ru_maxrss; smbd ms/session: CPU of all smbd processes "
        "during the scan ÷ outlets served by smbd; floor: that CPU ÷ cores (no scanner on this machine can "
        "finish sooner); netsim: the latency proxy/tarpit process (same cores); others' CPU: what the rest of the "
        "machine used during the scan (/proc/stat busy time minus scanner, smbd and netsim: the noise); "
        "ours ÷ this: ours' median over this row's median.",
        "",
    ]
    voids = report.void_section(runs)
    if voids:
        lines += ["VOID runs (not counted):", "", voids]
    notes = report.notes_section(runs)
    if notes:
        lines += ["Fields of ours that differ from the manifest without voiding the run:", "", notes]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
