#!/usr/bin/env python3
"""Round trips per outlet, measured: one listing through the fleet's latency proxy minus the same listing
directly to the proxy's upstream, divided by the proxy's round trip. Ours (`backup-monitor smb ls`, a fresh
process each time, so the process start cancels out) and smbprotocol's `smbclient` (fresh connection each
time, names, sizes and times read from the listing as the original system did).

Needs a fleet brought up with `--profile latency` and the smbprotocol venv of scripts/benchmark:
    python rtt.py --binary .build/release/backup-monitor [--manifest /tmp/backup-monitor-fleet/manifest.json]
The proxy delays data, not the TCP handshake, so add 1 for a real network's SYN/SYN-ACK.
"""

import argparse
import json
import os
import statistics
import subprocess
import time


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--manifest", default="/tmp/backup-monitor-fleet/manifest.json")
    p.add_argument("--outlets", type=int, default=5)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    m = json.load(open(a.manifest))
    netsim = json.load(open(os.path.join(os.path.dirname(a.manifest), "netsim", "config.json")))
    rtt = netsim["latencyMs"] / 1000
    upstream = {proxy["listen"]: proxy["upstream"] for proxy in netsim["proxies"]}
    cred = m["credentials"]["ddrive"]
    proxied = [o for o in m["outlets"] if o["host"] in upstream][: a.outlets]
    if not proxied:
        raise SystemExit("no outlet behind the latency proxy: bring the fleet up with --profile latency")
    direct = [dict(o, host=upstream[o["host"]]) for o in proxied]

    def ours(o: dict) -> float:
        env = dict(os.environ, SMB_PASSWORD=cred["password"])
        start = time.monotonic()
        r = subprocess.run([a.binary, "smb", "ls", f"//{o['host']}/{m['share']}/{m['folder']}", "-U", cred["user"]],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(r.stderr)
        return time.monotonic() - start

    import smbclient

    def smbprotocol(o: dict) -> float:
        smbclient.reset_connection_cache()
        start = time.monotonic()
        smbclient.register_session(o["host"], username=cred["user"], password=cred["password"], connection_timeout=5)
        path = f"\\\\{o['host']}\\{m['share']}\\{m['folder']}"
        listing = [(e.name, e.smb_info.end_of_file, e.smb_info.last_write_time) for e in smbclient.scandir(path)]
        smbclient.delete_session(o["host"])
        assert listing
        return time.monotonic() - start

    for name, run in (("ours", ours), ("smbprotocol", smbprotocol)):
        slow = statistics.median(run(o) for o in proxied for _ in range(a.repeat))
        fast = statistics.median(run(o) for o in direct for _ in range(a.repeat))
        print(f"{name}: {slow * 1000:.0f} ms proxied, {fast * 1000:.0f} ms direct → "
              f"{(slow - fast) / rtt:.1f} SMB round trips per outlet")


if __name__ == "__main__":
    main()
