#!/usr/bin/env python3
"""Network simulator of the fleet, one asyncio process (started by `fleet up`).

- latency proxy: listens on each proxy address, forwards to the outlet's hidden
  main-smbd address, and delays every chunk by latency/2 in each direction, so a
  request/response round trip costs ~latency (netem is not available here).
  Chunks are queued with their due time, so pipelined traffic is delayed, not serialised.
- tarpit: accepts, reads and discards, never answers and never closes first.
- blackhole (only when iptables is unusable): a listener with backlog 0 whose queue
  is filled by one connection of our own and never accepted: further SYNs are
  dropped by the kernel, so connect() times out like a black-holed host.

Usage: netsim.py CONFIG.json   (written by fleet up; see README)
"""

import asyncio
import json
import logging
import resource
import signal
import socket
import sys


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read_side():
        try:
            while True:
                data = await reader.read(65536)
                await queue.put((loop.time() + delay, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            await queue.put((loop.time(), b""))

    async def write_side():
        try:
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            return

    await asyncio.gather(read_side(), write_side())


def proxy_handler(upstream, port, delay):
    async def handle(c_reader, c_writer):
        try:
            u_reader, u_writer = await asyncio.open_connection(upstream, port)
        except OSError as e:
            logging.warning("proxy -> %s:%d failed: %s", upstream, port, e)
            c_writer.close()
            return
        try:
            await asyncio.gather(pump(c_reader, u_writer, delay),
                                 pump(u_reader, c_writer, delay))
        finally:
            for w in (c_writer, u_writer):
                w.close()
    return handle


async def tarpit(reader, writer):
    try:
        while await reader.read(65536):
            pass  # swallow the request; never answer
    except (ConnectionError, OSError):
        pass
    writer.close()  # only after the client gave up


def blackhole(address, port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((address, port))
    ls.listen(0)
    filler = socket.socket()
    filler.connect((address, port))  # fills the accept queue for good
    return ls, filler


async def main(config_path):
    with open(config_path) as f:
        cfg = json.load(f)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s netsim %(levelname)s %(message)s")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    delay = cfg["latencyMs"] / 2000.0
    servers = []
    for p in cfg.get("proxies", []):
        servers.append(await asyncio.start_server(
            proxy_handler(p["upstream"], p["upstreamPort"], delay), p["listen"], p["port"],
            reuse_address=True, backlog=512))
    for t in cfg.get("tarpits", []):
        servers.append(await asyncio.start_server(tarpit, t["listen"], t["port"],
                                                  reuse_address=True, backlog=512))
    holes = [blackhole(b["listen"], b["port"]) for b in cfg.get("blackholes", [])]
    logging.info("listening: %d proxies (%.0f ms round trip), %d tarpits, %d blackholes",
                 len(cfg.get("proxies", [])), cfg["latencyMs"], len(cfg.get("tarpits", [])), len(holes))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    logging.info("stopping")
    for s in servers:
        s.close()
    for ls, filler in holes:
        filler.close()
        ls.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
