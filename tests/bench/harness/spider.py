#!/usr/bin/python3
"""The Scrapy contestant of scripts/bench (Debian's python3-scrapy).

    spider.py --seeds FILE --depth N --per-host N --concurrency N
              --items OUT.jsonl --stats OUT.json

Crawls what `dragnet scan` crawls and extracts the same indicator kinds:

- the same link set: href of <a>, <area> and <link> (what extractors/page.cc
  collects), http(s) only, fragment-only hrefs skipped;
- the same scope: only URLs on the seed's own registrable domain (every
  corpus site is its own registrable domain, so its host name), checked per
  seed, which is stricter than allowed_domains over all seeds;
- the same depth semantics: the seed page is depth 0 (DEPTH_LIMIT counts
  link hops like [crawl] depth);
- breadth-first (DEPTH_PRIORITY=1 with FIFO queues), as Dragnet crawls;
- the same indicator kinds by regex over the HTML: email, phone (+E.164
  written forms), Ethereum, Bitcoin (base58 and bech32 shapes), IBAN (with
  the mod-97 check), Telegram and WhatsApp links, GA/UA/GTM ids and the Meta
  pixel id. One item per page goes to a JSON Lines feed.

Tuned as Scrapy's own "broad crawls" advice says: high global concurrency,
no delay, no AutoThrottle, no robots.txt, no cookies, no retries, no HTTP
cache, WARNING logging. Name resolution never leaves the process: every
host name resolves to 127.0.0.1 (LoopbackResolver), like dragnet --resolve.
"""

import argparse
import json
import re
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class LoopbackResolver(CachingThreadedResolver):
    """Every name is 127.0.0.1: the corpus is served by one local nginx."""

    def getHostByName(self, name, timeout=None):  # noqa: N802 (Twisted's name)
        return defer.succeed("127.0.0.1")


RX = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "phone": re.compile(r"\+\d{1,3}[ .\-]?\(?\d{1,4}\)?(?:[ .\-]?\d{2,4}){2,4}"),
    "eth": re.compile(r"\b0x[0-9a-fA-F]{40}\b"),
    "btc": re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b"),
    "iban": re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),
    "telegram": re.compile(r"(?:t\.me|telegram\.me)/([A-Za-z][A-Za-z0-9_]{4,31})"),
    "whatsapp": re.compile(r"wa\.me/(\d{7,15})"),
    "analytics": re.compile(r"\b(?:G-[A-Z0-9]{10}|UA-\d{4,10}-\d{1,4}|GTM-[A-Z0-9]{4,9})\b"),
    "fb_pixel": re.compile(r"fbq\('init',\s*'(\d{10,20})'\)"),
}


def iban_ok(s):
    s = s.replace(" ", "")
    if len(s) < 15 or len(s) > 34:
        return False
    num = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(num) % 97 == 1


class BenchSpider(scrapy.Spider):
    name = "bench"

    def __init__(self, seeds, **kw):
        super().__init__(**kw)
        self.seeds = seeds

    def start_requests(self):
        for u in self.seeds:
            yield scrapy.Request(u, callback=self.parse, cb_kwargs={"scope": urlsplit(u).hostname})

    def parse(self, response, scope):
        text = response.text
        item = {"url": response.url, "status": response.status}
        for kind, rx in RX.items():
            found = set(rx.findall(text))
            if kind == "iban":
                found = {v.replace(" ", "") for v in found if iban_ok(v)}
            if found:
                item[kind] = sorted(found)
        yield item
        for href in response.xpath("//a/@href | //area/@href | //link/@href").getall():
            href = href.strip()
            if not href or href.startswith("#"):
                continue
            url = response.urljoin(href)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https"):
                continue
            host = parts.hostname or ""
            if host != scope and not host.endswith("." + scope):
                continue
            yield scrapy.Request(url, callback=self.parse, cb_kwargs={"scope": scope})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=256)
    ap.add_argument("--items", required=True)
    ap.add_argument("--stats", required=True)
    a = ap.parse_args()
    with open(a.seeds) as f:
        seeds = [line.strip() for line in f if line.strip()]
    settings = {
        "BOT_NAME": "bench",
        "CONCURRENT_REQUESTS": a.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": a.per_host,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "HTTPCACHE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "RETRY_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "DEPTH_LIMIT": a.depth,
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "DNS_RESOLVER": "__main__.LoopbackResolver",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Scrapy-bench",
        "FEEDS": {a.items: {"format": "jsonlines", "encoding": "utf8"}},
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BenchSpider)
    result = {}

    def closed(spider, reason):
        s = crawler.stats.get_stats()
        result.update({
            "reason": reason,
            "responses": s.get("response_received_count", 0),
            "status_200": s.get("downloader/response_status_count/200", 0),
            "items": s.get("item_scraped_count", 0),
            "requests": s.get("downloader/request_count", 0),
            "errors": s.get("downloader/exception_count", 0),
            "depth_max": s.get("request_depth_max", 0),
            "crawl_seconds": (s["finish_time"] - s["start_time"]).total_seconds()
            if "finish_time" in s and "start_time" in s else None,
        })

    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler, seeds=seeds)
    process.start()
    with open(a.stats, "w") as f:
        json.dump(result, f)
    return 0 if result.get("responses") else 1


if __name__ == "__main__":
    sys.exit(main())
