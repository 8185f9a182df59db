#!/usr/bin/python3
"""scripts/bench's driver: starts the servers, runs every contestant, measures,
stops everything it started, prints the table and writes docs/BENCHMARKS.md.

    bench.py --root REPO --build BUILD_DIR --work TMPDIR [--sites S] [--pages P]
             [--runs N] [--only e2e,parser,slow,queue] [--md PATH] ...

Run by scripts/bench (which installs the packages and builds); see
docs/BENCHMARKS.md for what is measured and how. Everything it starts is a
child of this process; their pids are also appended to TMPDIR/pids so the
shell's trap can stop them if this process is killed outright.

Measurement: each contestant process is reaped with os.wait4, whose rusage
gives its CPU seconds (user + sys, all threads) and peak RSS (ru_maxrss).
Daemons run across the measured window, so their CPU is read from
/proc/PID/stat at the first submit and again when the last job is done, and
their peak RSS from VmHWM. No traffic leaves 127.0.0.0/8: nginx, redis and
the slow server listen on 127.0.0.1 and every host name is pinned there.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import report  # noqa: E402  (the markdown and table writer beside this file)

CLK_TCK = os.sysconf("SC_CLK_TCK")
CONTESTANTS = ["scan", "daemon1", "daemon2", "scrapy"]


class BenchError(Exception):
    pass


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Processes: everything started goes through Procs, so it is stopped on exit
# ---------------------------------------------------------------------------
class Procs:
    def __init__(self, work):
        self.pidfile = os.path.join(work, "pids")
        self.live = {}

    def start(self, argv, name, env=None, cwd=None):
        logdir = os.path.join(os.path.dirname(self.pidfile), "logs")
        os.makedirs(logdir, exist_ok=True)
        out = open(os.path.join(logdir, f"{name}.out"), "wb")
        err = open(os.path.join(logdir, f"{name}.err"), "wb")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=cwd)
        out.close()
        err.close()
        self.live[p.pid] = (p, name)
        with open(self.pidfile, "a") as f:
            f.write(f"{p.pid}\n")
        return p

    def reap(self, p, timeout=None):
        """Waits for p; returns (exit_code, rusage). Kills it after timeout s."""
        timer = None
        if timeout:
            timer = threading.Timer(timeout, lambda: _kill(p.pid, signal.SIGKILL))
            timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            if timer:
                timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        self.live.pop(p.pid, None)
        return p.returncode, ru

    def stop(self, p, grace=15):
        if p.pid not in self.live:
            return None, None
        _kill(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                p.returncode = os.waitstatus_to_exitcode(status)
                self.live.pop(p.pid, None)
                return p.returncode, ru
            time.sleep(0.02)
        _kill(p.pid, signal.SIGKILL)
        return self.reap(p)

    def stop_all(self):
        for pid, (p, name) in list(self.live.items()):
            try:
                self.stop(p, grace=5)
            except ChildProcessError:
                self.live.pop(pid, None)


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def proc_cpu(pid):
    """CPU seconds (user + sys, all threads) a live process has used."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def proc_rss_split(pid):
    """RssAnon/RssFile/RssShmem in MB: what a peak is made of (for the log)."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                out[line.split(":")[0]] = int(line.split()[1]) // 1024
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


# ---------------------------------------------------------------------------
# A minimal RESP client (polling the queue without starting processes)
# ---------------------------------------------------------------------------
class Redis:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.rf = self.sock.makefile("rb")

    def __call__(self, *args):
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        msg = b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in parts)
        self.sock.sendall(msg)
        return self._read()

    def _read(self):
        line = self.rf.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise BenchError("redis: " + rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.rf.read(n + 2)[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise BenchError(f"redis: unexpected reply {line!r}")

    def scan_keys(self, pattern):
        cursor, keys = b"0", []
        while True:
            cursor, batch = self("SCAN", cursor, "MATCH", pattern, "COUNT", 1000)
            keys.extend(batch)
            if cursor == b"0":
                return keys

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------
def start_nginx(procs, work, corpus):
    d = os.path.join(work, "nginx")
    os.makedirs(d, exist_ok=True)
    port = free_port()
    conf = f"""daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  types {{ text/html html; }}
  default_type application/octet-stream;
  sendfile on; tcp_nopush on;
  keepalive_timeout 65s; keepalive_requests 100000;
  open_file_cache max=50000 inactive=120s;
  server {{
    listen 127.0.0.1:{port} default_server backlog=4096;
    server_name _;
    root {corpus}/sites/$host;
    index index.html;
    location / {{ try_files $uri $uri/ =404; }}
  }}
}}
"""
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write(conf)
    p = procs.start(["nginx", "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", os.path.join(d, "error.log")],
                    "nginx")
    if not wait_port(port):
        raise BenchError("nginx did not start: " + open(os.path.join(d, "error.log")).read())
    return p, port


def start_redis(procs, work):
    d = os.path.join(work, "redis")
    os.makedirs(d, exist_ok=True)
    port = free_port()
    # AOF on, fsync once a second: the production setting queue_bench also
    # measures; RDB snapshots off.
    conf = (f"bind 127.0.0.1\nport {port}\ndir {d}\nappendonly yes\nappendfsync everysec\nsave \"\"\n"
            f"logfile {d}/redis.log\npidfile {d}/redis.pid\ndaemonize no\nprotected-mode yes\n")
    with open(os.path.join(d, "redis.conf"), "w") as f:
        f.write(conf)
    p = procs.start(["redis-server", os.path.join(d, "redis.conf")], "redis")
    if not wait_port(port):
        raise BenchError("redis-server did not start: " + open(os.path.join(d, "redis.log")).read())
    r = Redis(port)
    deadline = time.monotonic() + 10
    while True:
        try:
            if r("PING") == "PONG":
                break
        except BenchError:
            pass
        if time.monotonic() > deadline:
            raise BenchError("redis-server does not answer PING")
        time.sleep(0.05)
    return p, port, r


# ---------------------------------------------------------------------------
# Contestants
# ---------------------------------------------------------------------------
def toml_config(a, work, name, nginx_port, redis_port=None, metrics_port=None, concurrency=None,
                depth=None, global_conc=256, browser=False):
    d = os.path.join(work, "run", name)
    if os.path.exists(d):
        shutil.rmtree(d)
    os.makedirs(d)
    lines = [
        "[general]", f'state_dir = "{d}/state"',
        "[crawl]", f"depth = {a.depth if depth is None else depth}", f"max_pages = {a.max_pages}",
        "allow_private = true", f'resolve = ["*:{nginx_port}:127.0.0.1"]', f'evidence_dir = "{d}/evidence"',
        f"global_concurrency = {global_conc}", f"per_host_concurrency = {a.per_host}", 'per_host_delay = "0ms"',
        "[hosting]", "enabled = false",
    ]
    # The static pipeline is measured without the browser stage (its cost
    # has a section of its own: section_browser).
    if not a.no_browser_key:
        lines += ["[browser]", f"enabled = {'true' if browser else 'false'}"]
    if redis_port:
        lines += ["[redis]", f'url = "redis://127.0.0.1:{redis_port}/0"',
                  "[daemon]", f"concurrency = {concurrency}", f'metrics_listen = "127.0.0.1:{metrics_port}"',
                  "locate = false", "report = false"]
    path = os.path.join(d, "dragnet.toml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path, d


def count_dragnet_pages(docs):
    pages = 0
    kinds = {}
    for doc in docs:
        pages += sum(1 for p in doc.get("pages", []) if p.get("status") == 200)
        for ind in doc.get("indicators", []):
            kinds.setdefault(ind["type"], set()).add(ind["value"])
    return pages, {k: len(v) for k, v in kinds.items()}


def run_scan(a, procs, ctx, name="scan", seeds_file=None, depth=None, global_conc=256, timeout=1800):
    cfg, d = toml_config(a, a.work, name, ctx["nginx_port"] if seeds_file is None else ctx["slow_port"],
                         depth=depth, global_conc=global_conc)
    seeds_file = seeds_file or ctx["seeds"]
    argv = [ctx["dragnet"], "--config", cfg, "--log-level", "warn", "scan", "-f", seeds_file, "--json",
            "--no-locate", "--no-report", "--allow-private"]
    t0 = time.monotonic()
    p = procs.start(argv, name)
    code, ru = procs.reap(p, timeout=timeout)
    wall = time.monotonic() - t0
    if code != 0:
        raise BenchError(f"dragnet scan exited {code}: see {a.work}/logs/{name}.err")
    with open(os.path.join(a.work, "logs", f"{name}.out")) as f:
        docs = [json.loads(line) for line in f if line.strip()]
    pages, kinds = count_dragnet_pages(docs)
    errors = sum(len(doc.get("errors", [])) for doc in docs)
    shutil.rmtree(d, ignore_errors=True)  # evidence: fresh for every run
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": ru.ru_maxrss, "pages": pages,
            "seeds": len(docs), "errors": errors, "kinds": kinds}


def run_daemons(a, procs, ctx, n):
    r = ctx["redis"]
    r("FLUSHALL")
    daemons, dirs = [], []
    for i in range(n):
        cfg, d = toml_config(a, a.work, f"daemon{n}-{i}", ctx["nginx_port"], redis_port=ctx["redis_port"],
                             metrics_port=free_port(), concurrency=a.daemon_concurrency)
        dirs.append(d)
        p = procs.start([ctx["dragnet"], "--config", cfg, "--log-level", "warn", "daemon"], f"daemon{n}-{i}")
        daemons.append(p)
    first_cfg = os.path.join(dirs[0], "dragnet.toml")
    # Ready: every daemon has sent its first heartbeat.
    deadline = time.monotonic() + 20
    while len(r.scan_keys("{dragnet}:daemon:*")) < n:
        for p in daemons:
            if p.poll() is not None:
                raise BenchError(f"dragnet daemon exited {p.returncode}: see {a.work}/logs/")
        if time.monotonic() > deadline:
            raise BenchError("daemons did not register in Redis within 20 s")
        time.sleep(0.05)
    time.sleep(0.3)
    redis_pid = ctx["redis_proc"].pid
    cpu0 = [proc_cpu(p.pid) for p in daemons]
    rcpu0 = proc_cpu(redis_pid)
    t0 = time.monotonic()
    sub = procs.start([ctx["dragnet"], "--config", first_cfg, "--log-level", "warn", "submit", "-f", ctx["seeds"],
                       "--json"], f"submit{n}")
    code, sub_ru = procs.reap(sub, timeout=300)
    if code != 0:
        raise BenchError(f"dragnet submit exited {code}: see {a.work}/logs/submit{n}.err")
    want = ctx["n_seeds"]
    deadline = time.monotonic() + a.timeout
    while True:
        done = r("ZCARD", "{dragnet}:state:done") + r("ZCARD", "{dragnet}:state:dead")
        if done >= want:
            break
        for p in daemons:
            if p.poll() is not None:
                raise BenchError(f"dragnet daemon exited {p.returncode} mid-run: see {a.work}/logs/")
        if time.monotonic() > deadline:
            raise BenchError(f"daemon run: only {done}/{want} jobs done after {a.timeout} s")
        time.sleep(0.01)
    wall = time.monotonic() - t0
    cpu1 = [proc_cpu(p.pid) for p in daemons]
    rcpu1 = proc_cpu(redis_pid)
    hwm = [proc_hwm_kb(p.pid) for p in daemons]
    for p in daemons:
        log(f"daemon pid {p.pid} at the end: {proc_rss_split(p.pid)}")
    st = subprocess.run([ctx["dragnet"], "--config", first_cfg, "status", "--json"], capture_output=True,
                        text=True, timeout=60)
    try:
        status = json.loads(st.stdout)
    except json.JSONDecodeError:
        status = {"raw": st.stdout[-500:]}
    docs = []
    for k in r.scan_keys("{dragnet}:result:*"):
        v = r("GET", k)
        if v:
            docs.append(json.loads(v))
    pages, kinds = count_dragnet_pages(docs)
    for p in daemons:
        code, _ = procs.stop(p, grace=40)
        if code not in (0, None):
            log(f"daemon exited {code} on SIGTERM")
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
    daemon_cpu = sum(c1 - c0 for c0, c1 in zip(cpu0, cpu1))
    sub_cpu = sub_ru.ru_utime + sub_ru.ru_stime
    return {"wall": wall, "cpu": daemon_cpu + sub_cpu + (rcpu1 - rcpu0), "cpu_daemons": daemon_cpu,
            "cpu_redis": rcpu1 - rcpu0, "cpu_submit": sub_cpu, "rss_kb": sum(hwm), "rss_each_kb": hwm,
            "pages": pages, "seeds": len(docs), "kinds": kinds,
            "status": {k: status.get(k) for k in ("queued", "in_flight", "done", "failed", "dead_letter")}}


def run_scrapy(a, procs, ctx):
    d = os.path.join(a.work, "run", "scrapy")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    items, stats = os.path.join(d, "items.jsonl"), os.path.join(d, "stats.json")
    argv = ["/usr/bin/python3", os.path.join(HERE, "spider.py"), "--seeds", ctx["seeds"], "--depth", str(a.depth),
            "--per-host", str(a.per_host), "--concurrency", str(a.scrapy_concurrency), "--items", items,
            "--stats", stats]
    t0 = time.monotonic()
    p = procs.start(argv, "scrapy")
    code, ru = procs.reap(p, timeout=a.timeout)
    wall = time.monotonic() - t0
    if code != 0:
        raise BenchError(f"scrapy exited {code}: see {a.work}/logs/scrapy.err")
    with open(stats) as f:
        s = json.load(f)
    kinds = {}
    with open(items) as f:
        for line in f:
            it = json.loads(line)
            for k, v in it.items():
                if isinstance(v, list):
                    kinds.setdefault(k, set()).update(v)
    shutil.rmtree(d, ignore_errors=True)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": ru.ru_maxrss, "pages": s["status_200"],
            "responses": s["responses"], "errors": s["errors"], "crawl_seconds": s["crawl_seconds"],
            "kinds": {k: len(v) for k, v in kinds.items()}}


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------
def section_e2e(a, procs, ctx, res):
    runs = []
    for i in range(a.runs):
        one = {}
        for c in a.contestants.split(","):
            load = os.getloadavg()[0]
            if c == "scan":
                m = run_scan(a, procs, ctx)
            elif c == "daemon1":
                m = run_daemons(a, procs, ctx, 1)
            elif c == "daemon2":
                m = run_daemons(a, procs, ctx, 2)
            else:
                m = run_scrapy(a, procs, ctx)
            m["load1"] = load
            m["pps"] = m["pages"] / m["wall"] if m["wall"] > 0 else 0
            m["cpu_per_page"] = m["cpu"] / m["pages"] if m["pages"] else float("inf")
            one[c] = m
            log(f"run {i + 1}/{a.runs} {c:8s}: {m['pages']} pages in {m['wall']:.2f} s "
                f"({m['pps']:.0f} pages/s), CPU {m['cpu']:.2f} s, RSS {m['rss_kb'] / 1024:.0f} MB")
        runs.append(one)
    res["e2e"] = {"runs": runs, "expected_pages": ctx["expected_pages"]}
    # Page sets must agree, or nothing here compares like with like.
    bad = []
    for i, one in enumerate(runs):
        for c, m in one.items():
            if abs(m["pages"] - ctx["expected_pages"]) > 0.03 * ctx["expected_pages"]:
                bad.append(f"run {i + 1} {c}: {m['pages']} pages, expected {ctx['expected_pages']}")
    res["e2e"]["page_mismatch"] = bad


def section_parser(a, procs, ctx, res):
    sample = os.path.join(a.work, "parser-pages")
    shutil.rmtree(sample, ignore_errors=True)
    os.makedirs(sample)
    files = []
    root = os.path.join(ctx["corpus"], "sites")
    for host in sorted(os.listdir(root)):
        for dirpath, _, names in sorted(os.walk(os.path.join(root, host))):
            files += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith(".html")]
    seen, distinct = set(), []
    for path in files:
        with open(path, "rb") as f:
            h = hashlib.sha256(f.read()).digest()
        if h not in seen:
            seen.add(h)
            distinct.append(path)
    step = max(1, len(distinct) // a.parser_pages)
    chosen = distinct[::step][:a.parser_pages]
    total = 0
    for n, path in enumerate(chosen):
        host = os.path.relpath(path, root).split(os.sep)[0]
        dst = os.path.join(sample, f"{host}-{n}")
        os.makedirs(dst)
        os.link(path, os.path.join(dst, "page.html"))
        total += os.path.getsize(path)
    out = os.path.join(a.work, "extract_bench.json")
    env = dict(os.environ, DRAGNET_BENCH_HTML_DIR=sample)
    argv = [ctx["extract_bench"], "--benchmark_filter=^(GumboRaw|GumboRawNoErrors|ParsePageOnly|ParseAndExtract/0)$",
            f"--benchmark_repetitions={a.parser_reps}", "--benchmark_report_aggregates_only=true",
            "--benchmark_format=json", f"--benchmark_out={out}", "--benchmark_out_format=json"]
    p = procs.start(argv, "extract_bench", env=env)
    code, _ = procs.reap(p, timeout=1800)
    if code != 0:
        raise BenchError(f"extract_bench exited {code}: see {a.work}/logs/extract_bench.err")
    with open(out) as f:
        data = json.load(f)
    mbps = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            mbps[b["run_name"]] = b["bytes_per_second"] / 1e6
    res["parser"] = {"pages": len(chosen), "bytes": total, "mbps": mbps, "reps": a.parser_reps,
                     "ratio": mbps.get("ParseAndExtract/0", 0) / mbps["GumboRaw"] if mbps.get("GumboRaw") else 0}
    log(f"parser: {', '.join(f'{k} {v:.1f} MB/s' for k, v in mbps.items())}")


def section_extraction(a, procs, ctx, res):
    """The adversarial corpus scores (issue #13): the test prints its table and
    writes the figures as JSON."""
    out = os.path.join(a.work, "extraction.json")
    env = dict(os.environ, DRAGNET_SCORE_JSON=out)
    argv = [ctx["adversarial_test"], "--gtest_filter=AdversarialCorpus.ScoresAboveTheBar"]
    p = procs.start(argv, "adversarial_test", env=env)
    code, _ = procs.reap(p, timeout=600)
    if not os.path.exists(out):
        raise BenchError(f"extractors_adversarial_test exited {code} without scores: see {a.work}/logs")
    with open(out) as f:
        res["extraction"] = json.load(f)
    res["extraction"]["test_passed"] = code == 0
    mi = res["extraction"]["micro"]
    log(f"extraction: micro P {mi['precision']:.3f} R {mi['recall']:.3f} F1 {mi['f1']:.3f}, "
        f"decoys extracted {res['extraction']['decoys_extracted']}")


def section_slow(a, procs, ctx, res):
    port = free_port()
    stats = os.path.join(a.work, "slow-stats.json")
    srv = procs.start(["/usr/bin/python3", os.path.join(HERE, "slow_server.py"), "--port", str(port), "--delay",
                       str(a.slow_delay), "--stats", stats], "slow_server")
    if not wait_port(port):
        raise BenchError("slow server did not start")
    # wait_port's probe connection counts as one; remember it.
    seeds = os.path.join(a.work, "slow-seeds.txt")
    with open(seeds, "w") as f:
        for i in range(a.slow_seeds):
            f.write(f"http://slow-{i:04d}.scam-{i % 97:02d}-{i:04d}.com:{port}/\n")
    ctx["slow_port"] = port
    m = run_scan(a, procs, ctx, name="slow", seeds_file=seeds, depth=0,
                 global_conc=max(256, a.slow_seeds), timeout=600)
    procs.stop(srv)
    with open(stats) as f:
        s = json.load(f)
    res["slow"] = {"seeds": a.slow_seeds, "delay": a.slow_delay, "wall": m["wall"], "cpu": m["cpu"],
                   "rss_kb": m["rss_kb"], "pages": m["pages"], "peak_open": s["peak_open"],
                   "peak_waiting": s["peak_waiting"], "requests": s["requests"], "connections": s["connections"] - 1}
    log(f"slow: {m['pages']}/{a.slow_seeds} pages in {m['wall']:.2f} s, peak {s['peak_open']} connections, "
        f"RSS {m['rss_kb'] / 1024:.0f} MB")


def chromium_pss_kb(root):
    """PSS of every process below `root` (dragnet scan) but itself: its browsers."""
    parent = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    parent[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    total = 0
    for pid in parent:
        q, depth = parent.get(pid), 0
        while q and q != root and depth < 64:
            q, depth = parent.get(q), depth + 1
        if q != root:
            continue
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def section_browser(a, procs, ctx, res):
    """The cost of a capture: dragnet scan with the browser stage over the
    first --browser-seeds corpus sites at depth 0 (so the crawl is one page
    and the captures dominate); per-capture wall time from the JSON, the
    browsers' memory sampled from /proc every 100 ms."""
    with open(ctx["seeds"]) as f:
        seeds = [line for line in f if line.strip()][: a.browser_seeds]
    seeds_file = os.path.join(a.work, "browser-seeds.txt")
    with open(seeds_file, "w") as f:
        f.write("".join(seeds))
    cfg, d = toml_config(a, a.work, "browser", ctx["nginx_port"], depth=0, browser=True)
    argv = [ctx["dragnet"], "--config", cfg, "--log-level", "error", "scan", "-f", seeds_file, "--json",
            "--no-locate", "--no-report", "--allow-private"]
    t0 = time.monotonic()
    p = procs.start(argv, "browser")
    peak_pss = 0
    def running():  # without reaping it: procs.reap takes its rusage
        try:
            with open(f"/proc/{p.pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    while running() and time.monotonic() - t0 < a.timeout:
        peak_pss = max(peak_pss, chromium_pss_kb(p.pid))
        time.sleep(0.1)
    code, ru = procs.reap(p, timeout=a.timeout)
    wall = time.monotonic() - t0
    if code != 0:
        raise BenchError(f"dragnet scan (browser) exited {code}: see {a.work}/logs/browser.err")
    with open(os.path.join(a.work, "logs", "browser.out")) as f:
        docs = [json.loads(line) for line in f if line.strip()]
    ms = sorted(c["duration_ms"] for doc in docs for c in doc.get("captures", []) if not c.get("error"))
    failed = sum(1 for doc in docs for c in doc.get("captures", []) if c.get("error"))
    if not ms:
        raise BenchError("no browser capture succeeded (is chromium installed?)")
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    res["browser"] = {"seeds": len(docs), "captures": len(ms), "failed": failed, "median_ms": ms[len(ms) // 2],
                      "p90_ms": p90, "peak_pss_mb": peak_pss / 1024, "wall": wall,
                      "dragnet_rss_mb": ru.ru_maxrss / 1024, "cpu": ru.ru_utime + ru.ru_stime}
    shutil.rmtree(d, ignore_errors=True)
    log(f"browser: {len(ms)} captures ({failed} failed) of {len(docs)} seeds in {wall:.1f} s: "
        f"median {ms[len(ms) // 2]} ms, p90 {p90} ms, browsers' peak PSS {peak_pss / 1024:.0f} MB")


def section_queue(a, procs, ctx, res):
    p = procs.start([ctx["queue_bench"], str(a.queue_jobs)], "queue_bench")
    code, _ = procs.reap(p, timeout=1800)
    if code != 0:
        raise BenchError(f"queue_bench exited {code}: see {a.work}/logs/queue_bench.err")
    with open(os.path.join(a.work, "logs", "queue_bench.out")) as f:
        text = f.read()
    rounds = {}
    for block in re.split(r"^-- appendfsync ", text, flags=re.M)[1:]:
        fsync = block.split(",")[0].strip()

        def num(label, block=block):
            m = re.search(re.escape(label) + r"\s+([0-9.]+)", block)
            return float(m.group(1)) if m else 0.0
        rounds[fsync] = {"submit": num("submit (1 client)"), "drain1": num("claim+start+complete, 1 consumer "),
                         "drain2": num("claim+start+complete, 2 consumers"),
                         "set1": num("redis-benchmark -t set -c 1"), "set2": num("redis-benchmark -t set -c 2")}
    res["queue"] = {"jobs": a.queue_jobs, "rounds": rounds, "raw": text}
    log("queue: " + json.dumps(rounds))


# ---------------------------------------------------------------------------
def machine_info(a):
    def read(path):
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            return ""
    cpu = re.search(r"^model name\s*:\s*(.+)$", read("/proc/cpuinfo"), re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", read("/proc/meminfo"), re.M)

    def cmd(*argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd=a.root)
            return (r.stdout or r.stderr).strip()
        except OSError:
            return ""
    dirty = bool(cmd("git", "status", "--porcelain", "--untracked-files=no"))
    scrapy_v = cmd("/usr/bin/python3", "-c", "import scrapy; print(scrapy.__version__)")
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": cpu.group(1) if cpu else platform.processor(),
            "ram_gb": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
            "kernel": platform.release(), "debian": read("/etc/debian_version").strip(),
            "commit": cmd("git", "rev-parse", "--short", "HEAD") + ("+uncommitted changes" if dirty else ""),
            "scrapy": scrapy_v, "python": platform.python_version(),
            "nginx": cmd("nginx", "-v").replace("nginx version: ", ""),
            "redis": (re.search(r"v=(\S+)", cmd("redis-server", "--version")) or [None, "?"])[1],
            "dragnet": cmd(os.path.join(a.build, "cli", "dragnet"), "--version"),
            "load_at_start": os.getloadavg()}


def render(path, md):
    """Re-renders the table and the markdown from a kept results.json."""
    with open(path) as f:
        res = json.load(f)
    summary = report.summarize(res)
    print(report.text_table(res, summary))
    if md:
        with open(md, "w") as f:
            f.write(report.markdown(res, summary))
    return 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--render":
        return render(sys.argv[2], sys.argv[4] if len(sys.argv) >= 5 and sys.argv[3] == "--md" else None)
    ap = argparse.ArgumentParser(epilog="or: bench.py --render RESULTS.json [--md PATH]")
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--pages", type=int, default=25)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--scrapy-concurrency", type=int, default=256)
    ap.add_argument("--daemon-concurrency", type=int, default=16)
    ap.add_argument("--parser-pages", type=int, default=300)
    ap.add_argument("--parser-reps", type=int, default=3)
    ap.add_argument("--slow-seeds", type=int, default=1000)
    ap.add_argument("--slow-delay", type=float, default=2.0)
    ap.add_argument("--queue-jobs", type=int, default=5000)
    ap.add_argument("--timeout", type=int, default=900, help="seconds one contestant may take")
    ap.add_argument("--only", default="e2e,browser,parser,extraction,slow,queue")
    ap.add_argument("--no-browser-key", action="store_true",
                    help="leave [browser] out of the configs (to time a build from before the browser stage)")
    ap.add_argument("--browser-seeds", type=int, default=40, help="corpus sites captured by the browser section")
    ap.add_argument("--contestants", default=",".join(CONTESTANTS),
                    help="end-to-end contestants to run (for iterating; the report wants all of them)")
    ap.add_argument("--md", help="write the markdown report here")
    ap.add_argument("--command", default="scripts/bench")
    a = ap.parse_args()
    a.max_pages = max(50, a.pages + 10)
    a.build = os.path.abspath(a.build)
    sections = set(a.only.split(","))

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)

    procs = Procs(a.work)
    res = {"machine": machine_info(a), "command": a.command,
           "params": {k: getattr(a, k) for k in ("sites", "pages", "runs", "depth", "per_host", "max_pages",
                                                  "scrapy_concurrency", "daemon_concurrency", "parser_pages",
                                                  "parser_reps", "slow_seeds", "slow_delay", "queue_jobs")}}
    ctx = {"dragnet": os.path.join(a.build, "cli", "dragnet"),
           "extract_bench": os.path.join(a.build, "tests", "bench", "extract_bench"),
           "queue_bench": os.path.join(a.build, "tests", "unit", "daemon", "queue_bench"),
           "adversarial_test": os.path.join(a.build, "tests", "unit", "extractors", "extractors_adversarial_test")}
    started = time.monotonic()
    try:
        if "e2e" in sections or "parser" in sections:
            corpus = os.path.join(a.work, "corpus")
            log(f"corpus: {a.sites} sites x {a.pages} pages")
            r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "corpus.py"), corpus, "--sites",
                                str(a.sites), "--pages", str(a.pages)], capture_output=True, text=True, check=True)
            res["corpus"] = json.loads(r.stdout)
            ctx["corpus"] = corpus
        if "e2e" in sections:
            _, ctx["nginx_port"] = start_nginx(procs, a.work, corpus)
            ctx["redis_proc"], ctx["redis_port"], ctx["redis"] = start_redis(procs, a.work)
            with open(os.path.join(corpus, "hosts.txt")) as f:
                hosts = [h.strip() for h in f if h.strip()]
            ctx["seeds"] = os.path.join(a.work, "seeds.txt")
            with open(ctx["seeds"], "w") as f:
                f.write("".join(f"http://{h}:{ctx['nginx_port']}/\n" for h in hosts))
            ctx["n_seeds"] = len(hosts)
            ctx["expected_pages"] = len(hosts) * a.pages
            section_e2e(a, procs, ctx, res)
            if "browser" in sections:
                section_browser(a, procs, ctx, res)
            ctx["redis"].close()
            procs.stop_all()
        if "parser" in sections:
            section_parser(a, procs, ctx, res)
        if "extraction" in sections:
            section_extraction(a, procs, ctx, res)
        if "slow" in sections:
            section_slow(a, procs, ctx, res)
        if "queue" in sections:
            section_queue(a, procs, ctx, res)
    finally:
        procs.stop_all()
    res["elapsed_s"] = time.monotonic() - started
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(res, f, indent=1, default=str)
    if "e2e" in res and set(a.contestants.split(",")) != set(CONTESTANTS):
        log("not every contestant ran: no ratios, no report (the per-run lines above are the figures)")
        return 0
    summary = report.summarize(res)
    print(report.text_table(res, summary))
    mismatch = res.get("e2e", {}).get("page_mismatch")
    if mismatch:
        log("page counts differ between contestants; not writing the report:\n  " + "\n  ".join(mismatch))
        return 1
    if a.md:
        with open(a.md, "w") as f:
            f.write(report.markdown(res, summary))
        log(f"wrote {a.md}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        log(f"error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        log("interrupted; everything started was stopped")
        sys.exit(130)
