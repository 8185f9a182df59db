#!/usr/bin/python3
"""Slow sites for scripts/bench: an HTTP/1.1 server on 127.0.0.1 that answers
every request after DELAY seconds, for any Host.

    slow_server.py --port P --delay 2 --stats OUT.json

Counts what the crawler did to it: connections accepted, requests answered,
and the peak number of simultaneously open connections and of requests
waiting for their answer. The counters go to --stats (JSON) on SIGTERM or
SIGINT, then the server exits. Stdlib asyncio only; listens on loopback only.
"""

import argparse
import asyncio
import json
import signal
import time

PAGE = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Account suspended</title>"
        "</head><body><h1>{host}</h1><p>Your account is limited. Verify within 24 hours.</p>"
        "<p>Hotline: +44 7400 123456 · support@{host}</p></body></html>\n")

# Bounds on what a client may send: a request head larger than this is
# refused (the crawler sends a few hundred bytes).
MAX_HEAD = 16 * 1024


class Stats:
    def __init__(self):
        self.open = 0
        self.peak_open = 0
        self.waiting = 0
        self.peak_waiting = 0
        self.connections = 0
        self.requests = 0
        self.first = None
        self.last = None


async def handle(reader, writer, st, delay):
    st.open += 1
    st.connections += 1
    st.peak_open = max(st.peak_open, st.open)
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            now = time.monotonic()
            st.first = st.first or now
            host = "site"
            close = False
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                k = k.strip().lower()
                if k == b"host":
                    host = v.strip().decode("latin-1").split(":")[0]
                elif k == b"connection" and v.strip().lower() == b"close":
                    close = True
            st.waiting += 1
            st.peak_waiting = max(st.peak_waiting, st.waiting)
            try:
                await asyncio.sleep(delay)
            finally:
                st.waiting -= 1
            body = PAGE.format(host=host).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n"
                         + (b"Connection: close\r\n" if close else b"") + b"\r\n" + body)
            await writer.drain()
            st.requests += 1
            st.last = time.monotonic()
            if close:
                return
    except ConnectionError:
        return
    finally:
        st.open -= 1
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--delay", type=float, default=2.0)
    ap.add_argument("--stats", required=True)
    a = ap.parse_args()
    st = Stats()
    server = await asyncio.start_server(lambda r, w: handle(r, w, st, a.delay), "127.0.0.1", a.port,
                                        backlog=4096, limit=MAX_HEAD)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with server:
        await stop.wait()
    with open(a.stats, "w") as f:
        json.dump({"connections": st.connections, "requests": st.requests, "peak_open": st.peak_open,
                   "peak_waiting": st.peak_waiting,
                   "first_to_last_s": (st.last - st.first) if st.first and st.last else None}, f)


if __name__ == "__main__":
    asyncio.run(main())
