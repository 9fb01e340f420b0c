#!/usr/bin/env python3
"""Turns the web benchmark's result lines into artifacts/benchmarks/web-<stamp>.{json,md}."""

import argparse
import json
import os
import platform
import statistics

P95_TARGET_MS = 50.0
ROWS_PER_SECOND_TARGET = 200_000


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("results", "out", "stamp", "end-date", "duration", "binary", "label", "connections"):
        parser.add_argument(f"--{name}", required=True)
    for name in ("outlets", "days", "seed", "threads", "quick"):
        parser.add_argument(f"--{name}", type=int, required=True)
    args = parser.parse_args()

    with open(args.results, encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle if line.strip()]
    latency = [line for line in lines if line["kind"] == "latency"]
    exports = [line for line in lines if line["kind"] == "export"]
    databases = list(dict.fromkeys(line["database"] for line in lines))

    export_summary = []
    for database in databases:
        for name in dict.fromkeys(e["name"] for e in exports if e["database"] == database):
            runs = [e for e in exports if e["database"] == database and e["name"] == name]
            rates = [e["rows"] / e["seconds"] for e in runs if e["seconds"] > 0]
            export_summary.append({
                "database": database,
                "name": name,
                "rows": runs[0]["rows"],
                "runs": len(runs),
                "rows_per_second_median": statistics.median(rates) if rates else 0,
                "seconds_median": statistics.median(e["seconds"] for e in runs),
                "rss_before_kb": runs[0]["rss_before_kb"],
                "rss_peak_kb": max(e["rss_peak_kb"] for e in runs),
                "rss_growth_kb": max(e["rss_peak_kb"] - e["rss_before_kb"] for e in runs),
                "hwm_after_kb": max(e["hwm_after_kb"] for e in runs),
            })

    load = os.getloadavg()
    document = {
        "stamp": args.stamp,
        "label": args.label,
        "parameters": {
            "outlets": args.outlets, "days": args.days, "records": args.outlets * args.days * 2,
            "end_date": args.end_date, "seed": args.seed, "duration": args.duration,
            "connections": args.connections, "threads": args.threads, "quick": bool(args.quick),
        },
        "machine": {"cpus": os.cpu_count(), "loadavg_at_end": load, "platform": platform.platform()},
        "binary": args.binary,
        "targets": {"p95_ms": P95_TARGET_MS, "csv_rows_per_second": ROWS_PER_SECOND_TARGET},
        "latency": latency,
        "exports": exports,
        "export_summary": export_summary,
    }
    with open(args.out + ".json", "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")

    md = []
    title = f"Web benchmark {args.stamp}" + (f" ({args.label})" if args.label else "")
    md.append(f"### {title}\n")
    md.append(
        f"{args.outlets} outlets × {args.days} days × 2 modes = {args.outlets * args.days * 2:,} records, "
        f"ending {args.end_date}, seed {args.seed}; wrk with {args.connections} connections (c), at most "
        f"{args.threads} threads, {args.duration} per row; {os.cpu_count()} CPUs, load average at the end "
        f"{load[0]:.1f} (other work on the machine makes these numbers noisy).\n")
    md.append("| page / call | database | c | p50 ms | p95 ms | p99 ms | req/s | body KB | p95 ≤ 50 ms |")
    md.append("|---|---|---:|---:|---:|---:|---:|---:|:---:|")
    names = list(dict.fromkeys(line["name"] for line in latency))
    for name in names:
        for database in databases:
            for line in latency:
                if line["name"] != name or line["database"] != database:
                    continue
                r = line["result"]
                ok = "yes" if r["p95_ms"] <= P95_TARGET_MS and r["non2xx"] == 0 else "**no**"
                errors = f" ({r['non2xx']} non-2xx)" if r["non2xx"] else ""
                md.append(
                    f"| {name}{errors} | {database} | {line.get('connections', '')} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | "
                    f"{r['rps']:.0f} | {line['body_bytes'] / 1024:.0f} | {ok} |")
    if export_summary:
        md.append("")
        md.append("| CSV export | database | rows | median s | rows/s | RSS before MB | peak RSS MB | growth MB | ≥ 200k rows/s |")
        md.append("|---|---|---:|---:|---:|---:|---:|---:|:---:|")
        for e in export_summary:
            ok = "yes" if e["rows_per_second_median"] >= ROWS_PER_SECOND_TARGET else "**no**"
            md.append(
                f"| {e['name']} | {e['database']} | {e['rows']:,} | {e['seconds_median']:.2f} | "
                f"{e['rows_per_second_median']:,.0f} | {e['rss_before_kb'] / 1024:.0f} | "
                f"{e['rss_peak_kb'] / 1024:.0f} | {e['rss_growth_kb'] / 1024:.1f} | {ok} |")
    md.append("")
    with open(args.out + ".md", "w", encoding="utf-8") as handle:
        handle.write("\n".join(md))


if __name__ == "__main__":
    main()
