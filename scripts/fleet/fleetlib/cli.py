"""Command line: fleet up | down | status | check (see ../README.md)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import check, choke, firewall, layout, manifest, oracle, plan, procs, samba
from .files import mount_tmpfs, unmount, write_tree

DEFAULT_ROOT = "/tmp/backup-monitor-fleet"
NETSIM = Path(__file__).resolve().parent / "netsim.py"
PACKAGES = {"smbd": "samba", "smbpasswd": "samba", "pdbedit": "samba",
            "smbclient": "smbclient", "iptables": "iptables"}
ADDRESS_PLAN = {
    "main": "127.1.x.y main smbd (healthy, encrypt-required via per-ip include, hidden upstreams of slow)",
    "signing": "127.2.x.y smbd with server signing = mandatory",
    "smb2_10": "127.3.x.y smbd with server max protocol = SMB2_10",
    "smb1": "127.4.x.y SMB1-only smbd (NT1..NT1)",
    "proxy": "127.5.x.y latency proxy (netsim) -> hidden 127.1 address",
    "tarpit": "127.6.x.y tarpit (netsim): accepts, never answers",
    "blackholed": "127.7.x.y dropped by iptables chain BKMON_FLEET (connect timeout)",
    "refused": "127.8.x.y nothing bound (connection refused)",
    "wrongpass": "127.9.x.y smbd whose passdb has other passwords (logon failure)",
    "numbering": "n-th address of a kind = 127.P.(n-1)//250.((n-1)%250+1)",
}


def log(msg: str) -> None:
    print(msg, flush=True)


def die(msg: str) -> None:
    print(f"fleet: {msg}", file=sys.stderr)
    sys.exit(2)


def require_root() -> None:
    if os.geteuid() != 0:
        die("must run as root (binds port 445, adds users and iptables rules)")


def ensure_packages() -> None:
    missing = sorted({pkg for binary, pkg in PACKAGES.items() if not shutil.which(binary)})
    if not missing:
        return
    if not shutil.which("apt-get"):
        die(f"missing {' '.join(missing)} and no apt-get to install them")
    log(f"installing {' '.join(missing)} with apt-get ...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # Keep Debian's maintainer scripts from starting a system smbd on 0.0.0.0:445.
    policy = Path("/usr/sbin/policy-rc.d")
    ours = not policy.exists()
    if ours:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        for cmd in (["apt-get", "update"],
                    ["apt-get", "install", "-y", "--no-install-recommends", *missing]):
            if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
                die(f"'{' '.join(cmd)}' failed")
    finally:
        if ours:
            policy.unlink(missing_ok=True)
    still = sorted(b for b in PACKAGES if not shutil.which(b))
    if still:
        die(f"still missing after apt-get: {' '.join(still)}")


def check_traversable(root: Path) -> None:
    """The Samba users must be able to walk down to ROOT/hosts."""
    p = root.parent
    while True:
        if p.exists() and p.stat().st_mode & 0o001 == 0:
            die(f"{p} is not searchable by other users (mode {oct(p.stat().st_mode & 0o777)}); "
                f"choose a --root below a world-searchable directory such as /tmp")
        if p == p.parent:
            return
        p = p.parent


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def fw_comment(root: Path) -> str:
    return f"bkmon-fleet {root}"


def span(addrs: list[str]) -> str:
    if not addrs:
        return ""
    return addrs[0] if len(addrs) == 1 else f"{addrs[0]}-{addrs[-1]}"


# --- down ---------------------------------------------------------------------------

def do_down(root: Path, quiet: bool = False) -> bool:
    choke.stop(root)
    stopped = procs.stop_all(root)
    fw = firewall.remove(only_if_comment=fw_comment(root))
    zombies = procs.wait_reaped(stopped, 15.0)
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        # Keep it for post-mortems, but nobody should mistake it for a running fleet.
        manifest_path.replace(root / "manifest.down.json")
    hosts = root / "hosts"
    if hosts.exists():
        unmount(hosts)
        shutil.rmtree(hosts)
    state = root / "state.json"
    left = []
    if state.exists():
        try:
            addrs = set(json.loads(state.read_text()).get("listening", []))
            left = [a for (a, p) in procs.listeners() if p == samba.PORT and a in addrs]
        except (ValueError, OSError):
            pass
        state.unlink(missing_ok=True)
    if not quiet:
        log(f"fleet down: stopped {len(stopped)} process(es), "
            f"{'removed' if fw else 'no'} iptables chain {firewall.CHAIN}, "
            f"{len(left)} listener(s) left on fleet addresses"
            + (f", {len(zombies)} exited process(es) not yet reaped by PID 1" if zombies else ""))
    return not left


def cmd_down(args) -> int:
    require_root()
    root = Path(args.root).resolve()
    return 0 if do_down(root) else 1


# --- up -----------------------------------------------------------------------------

def cmd_up(args) -> int:
    require_root()
    t0 = time.monotonic()
    try:
        tz = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        die(f"unknown time zone --tz {args.tz!r}")
    today = date.fromisoformat(args.today) if args.today else datetime.now(tz).date()
    past = date.fromisoformat(args.past_date) if args.past_date else today - timedelta(days=7)
    root = Path(args.root).resolve()
    if str(root) in ("/", "/tmp") or len(root.parts) < 3:
        die(f"refusing --root {root}: it is wiped by up/down; use a dedicated directory")
    check_traversable(root)
    os.umask(0o022)
    raise_nofile()
    ensure_packages()
    if root.exists():
        do_down(root, quiet=True)

    p = plan.build(args.size, args.seed, args.profile)
    smbd_addrs = {name: [] for name in samba.INSTANCE_OPTIONS}
    smbd_addrs["main"] = list(p.addresses.get("main", []))
    for name in ("signing", "smb2_10", "smb1", "wrongpass"):
        smbd_addrs[name] = list(p.addresses.get(name, []))
    smbd_addrs = {k: v for k, v in smbd_addrs.items() if v}
    proxy_addrs = [listen for listen, _ in p.proxies]
    tarpit_addrs = list(p.addresses.get("tarpit", []))
    all_listening = [a for v in smbd_addrs.values() for a in v] + proxy_addrs + tarpit_addrs

    busy = {a for (a, port) in procs.listeners() if port == samba.PORT}
    clash = busy & (set(all_listening) | {"0.0.0.0"})
    if clash:
        die(f"port {samba.PORT} already in use on {sorted(clash)[:5]} (another fleet at another --root, "
            f"or a system smbd?); bring it down first")

    ctx = layout.Context(today=today, past=past, tz=tz, seed=args.seed,
                         history_days=layout.history_days(today, past))
    try:
        if root.exists():
            unmount(root / "hosts")
            shutil.rmtree(root)
        root.mkdir(parents=True)
        os.chmod(root, 0o755)
        (root / "state.json").write_text(json.dumps({"listening": all_listening}))
        samba.ensure_unix_users()

        t_files = time.monotonic()
        hosts_fs = "tmpfs" if args.tmpfs and mount_tmpfs(root / "hosts") else "directory"
        entries = 0
        for o in p.outlets:
            if o.serving_address:
                entries += write_tree(root / "hosts" / o.serving_address, layout.tree_for(o, ctx))
        per_ip = root / "per-ip"
        per_ip.mkdir()
        for a in p.encrypt_addresses:
            (per_ip / f"{a}.conf").write_text("  smb encrypt = required\n")
        t_files = time.monotonic() - t_files

        confs = samba.prepare(root, smbd_addrs)

        fw_mode, fw_rules, blackholes = "none", [], []
        if p.dropped:
            if args.blackhole == "iptables" and not firewall.available():
                raise RuntimeError("--blackhole iptables: iptables is not usable here")
            if args.blackhole != "backlog" and firewall.available():
                fw_rules = firewall.install([f"127.{plan.PREFIX['blackholed']}.0.0/16"], fw_comment(root))
                fw_mode = "iptables"
            else:
                # No netfilter here: a never-accepting listener with a full queue drops SYNs too.
                blackholes = list(p.dropped)
                fw_mode = "netsim-backlog"
                all_listening += blackholes
                (root / "state.json").write_text(json.dumps({"listening": all_listening}))

        pids = {}
        for name, conf in confs.items():
            pids[f"smbd-{name}"] = samba.start(root, name, conf)
        netsim_cfg = None
        if proxy_addrs or tarpit_addrs or blackholes:
            netsim_cfg = {
                "latencyMs": args.latency_ms,
                "proxies": [{"listen": l, "port": samba.PORT, "upstream": u, "upstreamPort": samba.PORT}
                            for l, u in p.proxies],
                "tarpits": [{"listen": a, "port": samba.PORT} for a in tarpit_addrs],
                "blackholes": [{"listen": a, "port": samba.PORT} for a in blackholes],
            }
            cfg_path = root / "netsim" / "config.json"
            cfg_path.parent.mkdir()
            cfg_path.write_text(json.dumps(netsim_cfg, indent=1))
            pids["netsim"] = procs.spawn(root, "netsim", [sys.executable, str(NETSIM), str(cfg_path)],
                                         root / "logs" / "netsim.log")
        procs.wait_listening(all_listening, samba.PORT, 30.0, pids)
        if os.environ.get("BKMON_FLEET_FAIL_AFTER_START"):
            raise RuntimeError("BKMON_FLEET_FAIL_AFTER_START is set (test of the cleanup path)")

        m = build_manifest(root, p, args, today, past, tz, confs, pids, smbd_addrs,
                           proxy_addrs, tarpit_addrs, fw_mode, fw_rules)
        m["hostsFilesystem"] = hosts_fs
        path = root / "manifest.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(m, indent=1, ensure_ascii=False) + "\n")
        tmp.replace(path)
    except BaseException:
        print("fleet up failed; bringing down what was started", file=sys.stderr)
        do_down(root, quiet=True)
        raise

    elapsed = time.monotonic() - t0
    log(str(path))
    log(summary(m, elapsed, entries, t_files))
    if p.missing:
        log(f"warning: --size {args.size} is too small for every scenario; missing: {', '.join(p.missing)}")
    return 0


def build_manifest(root, p, args, today, past, tz, confs, pids, smbd_addrs, proxy_addrs,
                   tarpit_addrs, fw_mode, fw_rules):
    days = [today] if past == today else [today, past]
    outlets = []
    for o in p.outlets:
        tree = root / "hosts" / o.serving_address if o.serving_address else None
        dd, fd = manifest.expected_ddrive(o, tree, days, tz)
        ib, fi = manifest.expected_ibstorage(o, tree, days, tz)
        upstream = dict(p.proxies).get(o.host)
        outlets.append({
            "code": o.code, "name": o.name, "region": o.region, "host": o.host, "port": samba.PORT,
            "scenario": {"network": o.network, "ddrive": o.ddrive, "ibstorage": o.ibstorage},
            "ddrive": dd, "ibstorage": ib, "folders": {**fd, **fi},
            "instance": "netsim" if upstream or o.network == "tarpit" else o.instance,
            "upstream": upstream, "tree": str(tree) if tree else None,
        })
    instances = []
    for name, conf in confs.items():
        opts = dict(samba.INSTANCE_OPTIONS[name])
        if name == "main":
            opts["perIpInclude"] = f"{root}/per-ip/%i.conf"
            opts["encryptRequired"] = p.encrypt_addresses
        if name == "wrongpass":
            opts["passwords"] = samba.WRONG_PASSWORDS
        instances.append({"name": name, "kind": "smbd", "pid": pids[f"smbd-{name}"], "config": str(conf),
                          "addresses": span(smbd_addrs[name]), "addressCount": len(smbd_addrs[name]),
                          "port": samba.PORT, "options": opts, "log": str(root / "logs" / f"smbd-{name}.log")})
    if "netsim" in pids:
        instances.append({"name": "netsim", "kind": "netsim", "pid": pids["netsim"],
                          "config": str(root / "netsim" / "config.json"),
                          "addresses": {"proxy": span(proxy_addrs), "tarpit": span(tarpit_addrs)},
                          "addressCount": len(proxy_addrs) + len(tarpit_addrs), "port": samba.PORT,
                          "options": {"latencyMs": args.latency_ms}, "log": str(root / "logs" / "netsim.log")})
    creds = {k: {"user": u, "password": pw} for k, (u, pw) in samba.USERS.items()}
    return {
        "version": 1, "seed": args.seed, "size": args.size, "profile": args.profile,
        "today": today.isoformat(), "pastDate": past.isoformat(), "timeZone": args.tz,
        "share": "d$", "folder": layout.FOLDER,
        "ibStorageDrives": list(plan.IB_DRIVES), "ibStorageFolder": layout.FOLDER,
        "patterns": list(oracle.DEFAULT_PATTERNS), "minBackupBytes": oracle.MIN_BACKUP_BYTES,
        "credentials": creds,
        "createdAt": datetime.now(tz).isoformat(timespec="seconds"),
        "root": str(root),
        "addressPlan": ADDRESS_PLAN,
        "firewall": {"mode": fw_mode, "chain": firewall.CHAIN if fw_mode == "iptables" else None,
                     "rules": fw_rules, "blackholed": span(p.addresses.get("blackholed", []))},
        "missingScenarios": p.missing,
        "instances": instances,
        "outlets": outlets,
    }


def summary(m: dict, elapsed: float, entries: int, t_files: float) -> str:
    parts = []
    for mode in ("ddrive", "ibstorage"):
        for day in (m["today"], m["pastDate"]):
            c = Counter(o[mode][day]["status"] for o in m["outlets"])
            parts.append(f"{mode} {day}: {c['success']} ok/{c['failed']} failed")
    n_inst = sum(1 for i in m["instances"] if i["kind"] == "smbd")
    return (f"fleet up: {m['size']} outlets ({m['profile']}, seed {m['seed']}, TZ {m['timeZone']}) "
            f"on {n_inst} smbd + {'netsim' if any(i['kind'] == 'netsim' for i in m['instances']) else 'no netsim'}, "
            f"{entries} files/dirs in {t_files:.1f} s ({m.get('hostsFilesystem')}); " + "; ".join(parts) +
            f"; up took {elapsed:.1f} s")


# --- status / check -------------------------------------------------------------------

def load_manifest(root: Path):
    path = root / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def cmd_status(args) -> int:
    root = Path(args.root).resolve()
    m = load_manifest(root)
    running = procs.pidfiles(root)
    if m is None:
        left = procs.ours(root)
        log(f"no fleet at {root} (no manifest); {len(left)} fleet process(es) running; "
            f"iptables chain {firewall.CHAIN} {'present' if firewall.present() else 'absent'}")
        return 0 if not left else 1
    log(f"fleet at {root}: {m['size']} outlets, profile {m['profile']}, seed {m['seed']}, "
        f"today {m['today']}, past {m['pastDate']}, TZ {m['timeZone']}, created {m.get('createdAt')}")
    counts = Counter(check.label(o) for o in m["outlets"])
    log("scenarios: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    listening = {a for (a, p) in procs.listeners() if p == samba.PORT}
    smb = check.Smb(root, m["timeZone"])
    healthy = True
    for inst in m["instances"]:
        pid = inst["pid"]
        up = procs.alive(pid)
        addrs = instance_addresses(m, inst)
        bound = sum(1 for a in addrs if a in listening)
        health = "-"
        if inst["kind"] == "smbd" and up and addrs:
            health = smbd_health(smb, m, inst, addrs[0])
        elif inst["kind"] == "netsim" and up:
            health = "ok" if bound == len(addrs) else "degraded"
        ok = up and bound == len(addrs) and health in ("ok", "-")
        healthy &= ok
        log(f"  {inst['name']:<10} pid {pid:<7} {'running' if up else 'DEAD':<8} "
            f"listening {bound}/{len(addrs)}  health {health}")
    fw = m.get("firewall", {})
    if fw.get("mode") == "iptables":
        rules = firewall.rules()
        healthy &= bool(rules)
        log(f"  iptables   chain {firewall.CHAIN}: {len(rules)} rule(s) {'present' if rules else 'MISSING'}")
    log("status: " + ("healthy" if healthy else "UNHEALTHY"))
    return 0 if healthy else 1


def instance_addresses(m: dict, inst: dict) -> list[str]:
    if inst["kind"] == "netsim":
        return [o["host"] for o in m["outlets"] if o.get("instance") == "netsim"]
    addrs = [o.get("upstream") or o["host"] for o in m["outlets"]
             if (o.get("instance") == inst["name"]) or (o.get("upstream") and inst["name"] == "main")]
    return addrs


def smbd_health(smb, m, inst, address) -> str:
    c = m["credentials"]["ddrive"]
    password = inst["options"].get("passwords", {}).get(c["user"], c["password"])
    extra = ["-m", "NT1", "--option=client min protocol=NT1"] if inst["name"] == "smb1" else []
    rc, out = smb.run(address, "d$", c["user"], password, "ls", extra, timeout=20)
    if rc == 0:
        return "ok"
    st = check.NT_STATUS.search(out)
    if st and st.group(0) == "NT_STATUS_BAD_NETWORK_NAME":
        return "ok (d$ absent on first address)"
    return st.group(0) if st else f"rc={rc}"


def cmd_check(args) -> int:
    root = Path(args.root).resolve()
    m = load_manifest(root)
    if m is None:
        die(f"no manifest at {root}; run fleet up first")
    dead = [i["name"] for i in m["instances"] if not procs.alive(i["pid"])]
    if dead:
        print(f"fleet check: not running: {dead}", file=sys.stderr)
        return 1
    return check.run_check(root, m, args.sample, args.workers)


def cmd_choke(args) -> int:
    require_root()
    root = Path(args.root).resolve()
    if args.off:
        removed = choke.stop(root)
        log(f"fleet choke: {'removed' if removed else 'there was no choke'}")
        return 0
    if shutil.which("tc") is None:
        log("fleet choke: tc not found (apt-get install iproute2)")
        return 1
    try:
        state = choke.start(root, args.rate, args.burst_rate, args.every, args.length, args.queue)
    except subprocess.CalledProcessError as error:
        choke.stop(root)
        log(f"fleet choke: tc failed: {' '.join(error.cmd)}: {error.stderr.strip()}")
        return 1
    bursts = (f", {state['burstRate']} for {state['length']:g} s every {state['every']:g} s"
              if state["helper"] else "")
    log(f"fleet choke: fleet traffic limited to {state['rate']} ({state['queue']} bytes queued at most){bursts}; undo with: fleet choke --off")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="fleet", description="Simulated outlet fleet (Samba on loopback).")
    sub = ap.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="bring the fleet up (brings an existing one down first)")
    up.add_argument("--size", type=int, default=1000)
    up.add_argument("--seed", type=int, default=1)
    up.add_argument("--today", help="YYYY-MM-DD (default: today in --tz)")
    up.add_argument("--past-date", help="YYYY-MM-DD (default: today - 7)")
    up.add_argument("--tz", default=os.environ.get("TZ") or "UTC")
    up.add_argument("--profile", choices=plan.PROFILES, default="mixed")
    up.add_argument("--latency-ms", type=float, default=40.0, help="round trip added by the proxy")
    up.add_argument("--blackhole", choices=("auto", "iptables", "backlog"), default="auto",
                    help="how black-holed outlets drop SYNs (auto: iptables when usable)")
    up.add_argument("--no-tmpfs", dest="tmpfs", action="store_false",
                    help="write the trees to ROOT/hosts on the root disk instead of a tmpfs")
    for p in (up, sub.add_parser("down", help="stop everything, remove iptables rules"),
              sub.add_parser("status", help="what runs and how healthy it is")):
        p.add_argument("--root", default=DEFAULT_ROOT)
    ck = sub.add_parser("check", help="self-test against smbclient")
    ck.add_argument("--root", default=DEFAULT_ROOT)
    ck.add_argument("--sample", type=int, default=3, help="outlets per scenario (0 = all)")
    ck.add_argument("--workers", type=int, default=16)
    ch = sub.add_parser("choke", help="throttle the path to the fleet, with bursts of delay (tc htb on lo)")
    ch.add_argument("--root", default=DEFAULT_ROOT)
    ch.add_argument("--rate", default="8mbit", help="bandwidth to and from all outlets (tc units; default 8mbit)")
    ch.add_argument("--burst-rate", default="1mbit", help="bandwidth during a burst of delay (default 1mbit)")
    ch.add_argument("--queue", type=int, default=262144, help="bytes queued at most before drops (default 256 KiB)")
    ch.add_argument("--every", type=float, default=4.0, help="seconds from one burst to the next (0: none)")
    ch.add_argument("--length", type=float, default=1.0, help="seconds a burst lasts (default 1)")
    ch.add_argument("--off", action="store_true", help="remove the choke")
    args = ap.parse_args(argv)
    commands = {"up": cmd_up, "down": cmd_down, "status": cmd_status, "check": cmd_check, "choke": cmd_choke}
    return commands[args.command](args)
