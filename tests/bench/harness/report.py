"""Results of scripts/bench -> medians, ratios, targets; a terminal table and
docs/BENCHMARKS.md. Pure functions of the results dict bench.py collects
(also saved as results.json in the work folder)."""

import statistics

NAMES = {"scan": "dragnet scan", "daemon1": "dragnet daemon x1", "daemon2": "dragnet daemon x2",
         "scrapy": "Scrapy"}
DRAGNET = ["scan", "daemon1", "daemon2"]

# The targets (issue #7), in one place.
T_PPS_X = 5.0         # >= 5x Scrapy's pages/s
T_CPU_RATIO = 0.2     # <= 1/5 of Scrapy's CPU seconds per page
T_RSS_RATIO = 1.0     # RSS no larger than Scrapy's
T_PARSER = 0.85       # parse + all extractors + de-obfuscation >= 0.85x raw Gumbo (issue #13)
T_MICRO_F1 = 0.95     # adversarial corpus micro-F1 aim (the test fails below 0.92; issue #13)
T_SLOW_WALL = 5.0     # 1,000 slow seeds in <= 5 s
T_SLOW_RSS_MB = 200   # ... with peak RSS <= 200 MB
T_QUEUE = 0.10        # queue overhead <= 10 % of end-to-end time, two daemons


def ok(flag):
    return "✓" if flag else "✗"


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarize(res):
    s = {}
    e2e = res.get("e2e")
    if e2e:
        runs = e2e["runs"]
        rows = {}
        for c in NAMES:
            ms = [r[c] for r in runs if c in r]
            if not ms:
                continue
            row = {"pages": med([m["pages"] for m in ms]), "wall": med([m["wall"] for m in ms]),
                   "pps": med([m["pps"] for m in ms]), "cpu": med([m["cpu"] for m in ms]),
                   "cpu_ms_per_page": med([1000 * m["cpu_per_page"] for m in ms]),
                   "rss_mb": med([m["rss_kb"] / 1024 for m in ms])}
            if c != "scrapy":
                # Ratios within each run, then the median of those.
                row["pps_x"] = med([r[c]["pps"] / r["scrapy"]["pps"] for r in runs if r["scrapy"]["pps"]])
                row["cpu_ratio"] = med([r[c]["cpu_per_page"] / r["scrapy"]["cpu_per_page"] for r in runs])
                row["rss_ratio"] = med([r[c]["rss_kb"] / r["scrapy"]["rss_kb"] for r in runs])
                row["met"] = {"pps": row["pps_x"] >= T_PPS_X, "cpu": row["cpu_ratio"] <= T_CPU_RATIO,
                              "rss": row["rss_ratio"] <= T_RSS_RATIO}
            rows[c] = row
        s["e2e"] = rows
    p = res.get("parser")
    if p:
        s["parser"] = {"met": p["ratio"] >= T_PARSER}
    sl = res.get("slow")
    if sl:
        s["slow"] = {"met_wall": sl["wall"] <= T_SLOW_WALL, "met_rss": sl["rss_kb"] / 1024 <= T_SLOW_RSS_MB}
    q = res.get("queue")
    if q:
        rnd = q["rounds"].get("everysec") or next(iter(q["rounds"].values()), None)
        out = {"round": "everysec" if "everysec" in q["rounds"] else "?"}
        if rnd and rnd["submit"] and rnd["drain2"]:
            out["s_per_job"] = 1 / rnd["submit"] + 1 / rnd["drain2"]
            out["ratio_set"] = rnd["drain2"] / rnd["set2"] if rnd["set2"] else None
        if e2e and "s_per_job" in out and "daemon2" in s.get("e2e", {}):
            seeds = res["params"]["sites"]
            wall2 = s["e2e"]["daemon2"]["wall"]
            out["queue_s"] = seeds * out["s_per_job"]
            out["overhead"] = out["queue_s"] / wall2
            out["met"] = out["overhead"] <= T_QUEUE
        s["queue"] = out
    return s


def f(x, fmt="{:.1f}"):
    return "—" if x is None else fmt.format(x)


# ---------------------------------------------------------------------------
# Terminal
# ---------------------------------------------------------------------------
def text_table(res, s):
    out = []
    par = res["params"]
    if "e2e" in s:
        out.append(f"End to end: {par['sites']} sites x {par['pages']} pages, depth {par['depth']}, "
                   f"medians of {par['runs']} run(s)  (expected pages: {res['e2e']['expected_pages']})")
        out.append(f"{'contestant':20s} {'pages':>6s} {'wall s':>7s} {'pages/s':>8s} {'CPU ms/page':>11s} "
                   f"{'RSS MB':>7s} {'x Scrapy pages/s':>17s} {'CPU/page vs Scrapy':>19s} {'RSS vs Scrapy':>14s}")
        for c, r in s["e2e"].items():
            extra = ""
            if c != "scrapy":
                m = r["met"]
                extra = (f" {f(r['pps_x'], '{:.2f}x'):>15s} {ok(m['pps'])} {f(r['cpu_ratio'], '{:.3f}'):>17s} "
                         f"{ok(m['cpu'])} {f(r['rss_ratio'], '{:.2f}'):>12s} {ok(m['rss'])}")
            out.append(f"{NAMES[c]:20s} {r['pages']:6.0f} {r['wall']:7.2f} {r['pps']:8.0f} "
                       f"{r['cpu_ms_per_page']:11.2f} {r['rss_mb']:7.1f}{extra}")
        out.append("")
    if "browser" in res:
        b = res["browser"]
        out.append(f"Browser capture (headless Chromium, {b['captures']} captures of {b['seeds']} sites at depth 0, "
                   f"{b['failed']} failed): median {b['median_ms']} ms, p90 {b['p90_ms']} ms per capture; "
                   f"browsers' peak PSS {b['peak_pss_mb']:.0f} MB; whole scan {b['wall']:.1f} s")
        out.append("")
    if "parser" in res:
        p = res["parser"]
        out.append(f"Parser limit: {p['pages']} distinct corpus pages ({p['bytes'] / 1e6:.1f} MB), "
                   f"median of {p['reps']} repetitions, one core")
        for k, v in p["mbps"].items():
            out.append(f"  {k:22s} {v:8.1f} MB/s")
        out.append(f"  ParseAndExtract/0 : GumboRaw = {p['ratio']:.2f}  (target >= {T_PARSER}) "
                   f"{ok(s['parser']['met'])}")
        out.append("")
    if "extraction" in res:
        out.extend(extraction_lines(res["extraction"]))
        out.append("")
    if "slow" in res:
        sl = res["slow"]
        out.append(f"Slow sites: {sl['seeds']} seeds, each answered after {sl['delay']:g} s")
        out.append(f"  wall {sl['wall']:.2f} s {ok(s['slow']['met_wall'])} (<= {T_SLOW_WALL:g} s)   "
                   f"peak RSS {sl['rss_kb'] / 1024:.1f} MB {ok(s['slow']['met_rss'])} (<= {T_SLOW_RSS_MB} MB)   "
                   f"peak concurrent connections {sl['peak_open']}   pages {sl['pages']}   CPU {sl['cpu']:.2f} s")
        out.append("")
    if "queue" in res:
        q = res["queue"]
        out.append(f"Queue ({q['jobs']} jobs per configuration; redis-benchmark on the same server)")
        for fsync, r in q["rounds"].items():
            out.append(f"  appendfsync {fsync:8s} submit {r['submit']:8.0f} jobs/s   claim+ack 1 consumer "
                       f"{r['drain1']:7.0f} jobs/s   2 consumers {r['drain2']:7.0f} jobs/s   SET -c2 "
                       f"{r['set2']:8.0f} ops/s   jobs:SET {r['drain2'] / r['set2'] if r['set2'] else 0:.3f}")
        sq = s["queue"]
        if "overhead" in sq:
            out.append(f"  queue time for {res['params']['sites']} seeds {sq['queue_s'] * 1000:.0f} ms = "
                       f"{100 * sq['overhead']:.1f} % of the two-daemon run (target <= {100 * T_QUEUE:.0f} %) "
                       f"{ok(sq['met'])}")
    return "\n".join(out)


def extraction_lines(x):
    """The adversarial corpus scores (tests/unit/extractors/adversarial_test.cc)."""
    mi = x["micro"]
    out = [f"Extraction: adversarial corpus, {x['pages']} pages, {x['decoys']} decoys "
           f"(tests/fixtures/adversarial)",
           f"  micro precision {mi['precision']:.3f}  recall {mi['recall']:.3f}  F1 {mi['f1']:.3f} "
           f"(aim >= {T_MICRO_F1}) {ok(mi['f1'] >= T_MICRO_F1)}   decoys extracted {x['decoys_extracted']} "
           f"{ok(x['decoys_extracted'] == 0)}",
           f"  {'type':20s} {'expected':>8s} {'found':>6s} {'extra':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}"]
    for t, c in sorted(x["types"].items()):
        out.append(f"  {t:20s} {c['expected']:8d} {c['found']:6d} {c['extra']:6d} {c['precision']:6.3f} "
                   f"{c['recall']:6.3f} {c['f1']:6.3f}")
    out.append(f"  {'technique':20s} {'langs':>8s} {'expected':>8s} {'found':>6s} {'decoys':>6s} {'P':>6s} {'R':>6s}")
    for t, c in sorted(x["techniques"].items()):
        out.append(f"  {t:20s} {c['languages']:8d} {c['expected']:8d} {c['found']:6d} {c['decoys_extracted']:6d} "
                   f"{c['precision']:6.3f} {c['recall']:6.3f}")
    return out


def extraction_markdown(x):
    mi = x["micro"]
    L = ["## Extraction quality", "",
         f"The adversarial corpus (`tests/fixtures/adversarial/`, {x['pages']} pages written to hide their "
         f"indicators as kits do, {x['decoys']} decoys), scored by `extractors_adversarial_test` on "
         "(type, value); see `docs/EXTRACTION.md`.", "",
         f"Micro precision **{mi['precision']:.3f}**, recall **{mi['recall']:.3f}**, F1 **{mi['f1']:.3f}** "
         f"(aim ≥ {T_MICRO_F1}) {ok(mi['f1'] >= T_MICRO_F1)}; decoys extracted: **{x['decoys_extracted']}**.", "",
         "| type | expected | found | extra | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for t, c in sorted(x["types"].items()):
        L.append(f"| {t} | {c['expected']} | {c['found']} | {c['extra']} | {c['precision']:.3f} | "
                 f"{c['recall']:.3f} | {c['f1']:.3f} |")
    L += ["", "| technique | languages | expected | found | decoys extracted | precision | recall |",
          "|---|---:|---:|---:|---:|---:|---:|"]
    for t, c in sorted(x["techniques"].items()):
        L.append(f"| {t} | {c['languages']} | {c['expected']} | {c['found']} | {c['decoys_extracted']} | "
                 f"{c['precision']:.3f} | {c['recall']:.3f} |")
    L.append("")
    return L


# ---------------------------------------------------------------------------
# docs/BENCHMARKS.md
# ---------------------------------------------------------------------------
def markdown(res, s):
    m = res["machine"]
    par = res["params"]
    c = res.get("corpus", {})
    L = []
    L.append("# Benchmarks")
    L.append("")
    L.append("Generated by `scripts/bench` (issue #7); do not edit by hand — rerun the script. "
             "Absolute figures depend on the machine and on what else it was doing; the ratios are "
             "taken within one run, contestant next to contestant, and are what to quote.")
    L.append("")
    L.append("## This run")
    L.append("")
    L.append("| | |")
    L.append("|---|---|")
    L.append(f"| date | {m['date']} |")
    L.append(f"| command | `{res['command']}` |")
    L.append(f"| machine | {m['nproc']} cores, {m['cpu']}, {m['ram_gb']} GB RAM |")
    L.append(f"| system | Debian {m['debian']}, Linux {m['kernel']} |")
    load = m.get("load_at_start") or [0, 0, 0]
    L.append(f"| load average at start | {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} |")
    L.append(f"| dragnet | {m['dragnet']} at {m['commit']}, Release build (`build-bench/`) |")
    L.append(f"| contestant and servers | Scrapy {m['scrapy']} (Python {m['python']}), {m['nginx']}, "
             f"Redis {m['redis']} |")
    L.append(f"| time of the measurements (build excluded) | {res.get('elapsed_s', 0) / 60:.1f} min |")
    L.append("")
    if c:
        L.append("## Corpus")
        L.append("")
        L.append(f"{c['sites']} sites × {c['pages_per_site']} pages = {c['pages']} pages, "
                 f"{c['bytes'] / 1e6:.1f} MB of HTML (page sizes: min {c['size_min'] / 1000:.1f} KB, median "
                 f"{c['size_median'] / 1000:.1f} KB, 90th percentile {c['size_p90'] / 1000:.1f} KB, max "
                 f"{c['size_max'] / 1000:.1f} KB; log-normal, clipped to 5–60 KB), generated deterministically "
                 f"(seed {c['seed']}) by `tests/bench/harness/corpus.py`. Every site is its own registrable "
                 f"domain on a real public suffix, served by one nginx on 127.0.0.1 as virtual hosts; every "
                 f"name is pinned to 127.0.0.1 (`[crawl] resolve = [\"*:PORT:127.0.0.1\"]` for Dragnet, a "
                 f"resolver that answers 127.0.0.1 for Scrapy). {c['kit_sites']} sites "
                 f"({100 * c['kit_sites'] / c['sites']:.0f} %) are byte-identical deployments of one of "
                 f"{c['kits']} phishing kits, as kits are deployed unchanged on throwaway domains; "
                 f"{c['unique_pages']} pages are distinct.")
        L.append("")
        L.append("Pages carry scam copy in " + ", ".join(c["languages"]) + " (written for the generator), "
                 "emails on real public suffixes, phone numbers valid for libphonenumber (in text and `tel:` "
                 "links), Ethereum addresses, Bitcoin P2PKH/P2SH/bech32 addresses with correct checksums, "
                 "IBANs with correct mod-97 check digits (SE, GB, DE, NL), `t.me` and `wa.me` links, GA4/UA/GTM "
                 "ids and a Meta pixel, a login or withdrawal form with a password field, inline scripts and "
                 "CDN-hosted scripts, internal links and links to other domains. Some indicators are shared "
                 "by several sites of a campaign. Internal links form a graph in which a breadth-first crawl "
                 f"from `/` reaches every page within depth 2 and none first at depth 3, so depth {par['depth']} "
                 "crawls the whole site in both tools; nothing links into a site through `<link>`, `<area>` or "
                 "`<iframe>`, so both tools fetch exactly the same page set (the table checks the counts).")
        L.append("")
    e2e = s.get("e2e")
    if e2e:
        L.append("## End to end")
        L.append("")
        L.append(f"Same seeds ({par['sites']}), same corpus, depth {par['depth']}, {par['runs']} run(s); in each "
                 "run the contestants go one after the other in the order of the table. Medians over runs; "
                 "the ratios are computed within each run and then their median is taken. "
                 f"Expected pages: {res['e2e']['expected_pages']}.")
        L.append("")
        L.append("| contestant | pages | wall s | pages/s | CPU ms / page | peak RSS MB | pages/s vs Scrapy "
                 f"(≥ {T_PPS_X:g}×) | CPU/page vs Scrapy (≤ {T_CPU_RATIO:g}) | RSS vs Scrapy (≤ 1) |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for k, r in e2e.items():
            if k == "scrapy":
                tail = "1× | 1 | 1 |"
            else:
                mt = r["met"]
                tail = (f"{r['pps_x']:.2f}× {ok(mt['pps'])} | {r['cpu_ratio']:.3f} {ok(mt['cpu'])} | "
                        f"{r['rss_ratio']:.2f} {ok(mt['rss'])} |")
            L.append(f"| {NAMES[k]} | {r['pages']:.0f} | {r['wall']:.2f} | {r['pps']:.0f} | "
                     f"{r['cpu_ms_per_page']:.2f} | {r['rss_mb']:.1f} | {tail}")
        L.append("")
        runs = res["e2e"]["runs"]
        last = runs[-1]
        if "daemon2" in last:
            d2 = last["daemon2"]
            L.append(f"Daemon rows: CPU is both daemons + `dragnet submit` + the Redis server over the "
                     f"measured window (last run, two daemons: daemons {d2['cpu_daemons']:.2f} s, Redis "
                     f"{d2['cpu_redis']:.2f} s, submit {d2['cpu_submit']:.2f} s); peak RSS is the sum of the "
                     f"daemons' peaks (last run: {', '.join(f'{x / 1024:.1f}' for x in d2['rss_each_kb'])} MB), "
                     "Redis excluded.")
            L.append("")
        kinds_d = last.get("scan", {}).get("kinds", {})
        kinds_s = last.get("scrapy", {}).get("kinds", {})
        if kinds_d or kinds_s:
            L.append("Distinct indicator values found over the corpus (last run) — a sanity check that both "
                     "did the work, not a quality comparison (Dragnet validates and normalises; the spider's "
                     "regexes do not, apart from the IBAN check): Dragnet " +
                     ", ".join(f"{k} {v}" for k, v in sorted(kinds_d.items())) + "; Scrapy " +
                     ", ".join(f"{k} {v}" for k, v in sorted(kinds_s.items())) + ".")
            L.append("")
        L.append("<details><summary>Every run</summary>")
        L.append("")
        L.append("| run | contestant | pages | wall s | pages/s | CPU s | peak RSS MB | load average (1 min) |")
        L.append("|---:|---|---:|---:|---:|---:|---:|---:|")
        for i, r in enumerate(runs):
            for k, mm in r.items():
                L.append(f"| {i + 1} | {NAMES[k]} | {mm['pages']} | {mm['wall']:.2f} | {mm['pps']:.0f} | "
                         f"{mm['cpu']:.2f} | {mm['rss_kb'] / 1024:.1f} | {mm['load1']:.2f} |")
        L.append("")
        L.append("</details>")
        L.append("")
    p = res.get("parser")
    if p:
        L.append("## Parser limit")
        L.append("")
        L.append(f"`extract_bench` (Google Benchmark) over {p['pages']} distinct corpus pages "
                 f"({p['bytes'] / 1e6:.1f} MB), median of {p['reps']} repetitions, single-threaded, so MB/s is "
                 "per core (bytes of HTML per CPU second).")
        L.append("")
        L.append("| benchmark | what it does | MB/s per core | vs GumboRaw |")
        L.append("|---|---|---:|---:|")
        what = {"GumboRaw": "`gumbo_parse` with default options, then free",
                "GumboRawNoErrors": "`gumbo_parse` with the options `ParsePage` uses (no error records)",
                "ParsePageOnly": "Dragnet's `ParsePage` (Gumbo → `Page`)",
                "ParseAndExtract/0": "`ParsePage` + the de-obfuscation layer + every indicator extractor"}
        g = p["mbps"].get("GumboRaw")
        for k, v in p["mbps"].items():
            L.append(f"| {k} | {what.get(k, '')} | {v:.1f} | {v / g if g else 0:.2f} |")
        L.append("")
        L.append(f"Target: parse + de-obfuscation + all extractors ≥ {T_PARSER} × raw Gumbo: **{p['ratio']:.2f}** "
                 f"{ok(s['parser']['met'])}")
        L.append("")
    b = res.get("browser")
    if b:
        L.append("")
        L.append("## Browser capture")
        L.append("")
        L.append(f"`dragnet scan` with the browser stage on over the first {b['seeds']} corpus sites at depth 0 "
                 "(the crawl is one page, so the captures dominate), every configured profile per site. Capture "
                 "time is each capture's `duration_ms` (navigation to snapshot, the settle wait included); "
                 "memory is the proportional set size of every Chromium process, sampled every 100 ms. The "
                 "static pipeline above runs with `[browser] enabled = false`.")
        L.append("")
        L.append("| captures | failed | median ms | p90 ms | browsers' peak PSS MB | scan wall s |")
        L.append("|---:|---:|---:|---:|---:|---:|")
        L.append(f"| {b['captures']} | {b['failed']} | {b['median_ms']} | {b['p90_ms']} | {b['peak_pss_mb']:.0f} "
                 f"| {b['wall']:.1f} |")
    if res.get("extraction"):
        L.extend(extraction_markdown(res["extraction"]))
    sl = res.get("slow")
    if sl:
        L.append("## Slow sites")
        L.append("")
        L.append(f"{sl['seeds']} seeds, each a different registrable domain, served by "
                 "`tests/bench/harness/slow_server.py` (asyncio, 127.0.0.1), which answers every request "
                 f"after {sl['delay']:g} s and counts open connections. One `dragnet scan` at depth 0 with "
                 f"`[crawl] global_concurrency = {max(256, sl['seeds'])}`.")
        L.append("")
        L.append("| wall s | peak RSS MB | peak concurrent connections | pages fetched | CPU s |")
        L.append("|---:|---:|---:|---:|---:|")
        L.append(f"| {sl['wall']:.2f} {ok(s['slow']['met_wall'])} | {sl['rss_kb'] / 1024:.1f} "
                 f"{ok(s['slow']['met_rss'])} | {sl['peak_open']} | {sl['pages']} | {sl['cpu']:.2f} |")
        L.append("")
        L.append(f"Targets: wall ≤ {T_SLOW_WALL:g} s, peak RSS ≤ {T_SLOW_RSS_MB} MB.")
        L.append("")
    q = res.get("queue")
    if q:
        sq = s["queue"]
        L.append("## Queue")
        L.append("")
        L.append(f"`queue_bench {q['jobs']}`: jobs through submit → claim → start → complete (ack) on its own "
                 "redis-server (AOF on), against `redis-benchmark -t set` on the same server.")
        L.append("")
        L.append("| appendfsync | submit jobs/s | claim+ack, 1 consumer | claim+ack, 2 consumers | SET ops/s (1 "
                 "client) | SET ops/s (2 clients) | jobs/s : SET/s (2) |")
        L.append("|---|---:|---:|---:|---:|---:|---:|")
        for fsync, r in q["rounds"].items():
            L.append(f"| {fsync} | {r['submit']:.0f} | {r['drain1']:.0f} | {r['drain2']:.0f} | {r['set1']:.0f} | "
                     f"{r['set2']:.0f} | {r['drain2'] / r['set2'] if r['set2'] else 0:.3f} |")
        L.append("")
        if "overhead" in sq:
            L.append(f"Queue share of the two-daemon run: {par['sites']} seeds × (1/submit + 1/claim+ack with "
                     f"2 consumers, appendfsync {sq['round']}) = {sq['queue_s'] * 1000:.0f} ms against a "
                     f"median wall time of {e2e['daemon2']['wall']:.2f} s: **{100 * sq['overhead']:.1f} %** "
                     f"(target ≤ {100 * T_QUEUE:.0f} %) {ok(sq['met'])}. This is an upper bound: in the daemons "
                     "the queue round trips overlap with crawling on other workers.")
            L.append("")
    L.append("## Method")
    L.append("")
    L.append(
        "Every contestant is a separate process reaped with `wait4`, whose resource usage gives CPU seconds "
        "(user + system, all threads) and peak RSS; wall time is measured around it, so process start-up "
        "(Python importing Scrapy, Dragnet loading its rules) is included for both. A daemon run starts the "
        "daemons, waits until each has registered in Redis, and measures from the start of `dragnet submit` "
        "until every job is done (polling the job-state sets in Redis); daemon CPU is read from "
        "`/proc/PID/stat` at both ends of that window and peak RSS from `VmHWM`. Redis is flushed before "
        "each daemon run and every Dragnet run gets a fresh state and evidence folder, so no run profits "
        "from an earlier one's deduplication. Pages counted are responses with status 200.")
    L.append("")
    L.append(
        f"Fairness. Dragnet runs with its defaults except: hosting lookups and reporting off (`--no-locate "
        f"--no-report`, `[hosting] enabled = false`, `[daemon] locate = report = false`), loopback allowed, "
        f"`depth = {par['depth']}`, `max_pages = {par['max_pages']}`, `global_concurrency = 256`, "
        f"`per_host_concurrency = {par['per_host']}`, `per_host_delay = 0ms`; evidence is written for every "
        f"page, as in production. Daemons run {par['daemon_concurrency']} seeds in flight each against a "
        "Redis with AOF and `appendfsync everysec`. Scrapy (`tests/bench/harness/spider.py`) follows the "
        "same `<a>`/`<area>`/`<link>` hrefs within the seed's registrable domain to the same depth, "
        "breadth-first, and applies regexes for the same indicator kinds to every page; it is tuned as "
        "Scrapy's broad-crawl advice says: "
        f"`CONCURRENT_REQUESTS = {par['scrapy_concurrency']}`, `CONCURRENT_REQUESTS_PER_DOMAIN = "
        f"{par['per_host']}` (Dragnet's per-host cap), `DOWNLOAD_DELAY = 0`, AutoThrottle, robots.txt, "
        "cookies, retries and the HTTP cache off, `LOG_LEVEL = WARNING`, its default parser (parsel/lxml). "
        "Both get the same plain (uncompressed) responses from the same nginx. All traffic stays on "
        "127.0.0.1.")
    L.append("")
    L.append("## Reproduce")
    L.append("")
    L.append("```sh")
    L.append("scripts/bench                        # defaults: 200 sites × 25 pages, 3 runs (~10 min on 2 cores, plus the first build)")
    L.append("DRAGNET_BENCH_QUICK=1 scripts/bench  # 20 × 10, 1 run, smaller parser/slow/queue sections (~2 min)")
    L.append("scripts/bench --sites 50 --pages 20 --runs 5 --only e2e,parser     # any subset of the sections")
    L.append("```")
    L.append("")
    L.append("It installs what it needs from Debian (nginx, redis, python3-scrapy, time), builds "
             "`build-bench/` in Release, generates the corpus in a temporary folder, starts nginx, Redis and "
             "the slow server on free 127.0.0.1 ports, stops them and removes the folder at the end "
             "(`DRAGNET_BENCH_KEEP=1` keeps it, with every process's log and `results.json`).")
    L.append("")
    return "\n".join(L)
