#!/usr/bin/python3
"""Hostile HTTP server for Dragnet's fetcher tests.

Plays the misbehaving sites a takedown crawler meets: slow drips, endless
bodies, compression bombs, redirects into the internal network, redirect
loops, malformed status lines and headers, headers that never end, and
servers that accept and never answer. Speaks raw HTTP/1.1 over sockets so
it can send anything, including what no HTTP library would.

Listens on 127.0.0.1 only (nothing here reaches beyond loopback):
  --port P            the HTTP server
  --blackhole-port B  a listener whose accept queue is kept full, so a new
                      connect() is never answered (connect timeouts)

Run with Debian's /usr/bin/python3 (stdlib + python3-brotli). Started per
test fixture by tests/harness/hostile.{h,cc}.

Endpoints (GET):
  /ok                   200, small HTML page
  /page                 200, tests/fixtures/fetch/site/index.html
  /enc/gzip|deflate-zlib|deflate-raw|br|gzip-br
                        the page, content-encoded (Content-Encoding set)
  /enc/gzip-truncated   the gzip page cut short (valid HTTP, broken gzip)
  /enc/zstd             the page, zstd (the fixture made by the zstd CLI)
  /enc/gzip-corrupt     the gzip page with 20 bytes flipped
  /enc/xz               the page sent as Content-Encoding: xz (undecodable)
  /links?n=N&ms=M       a page of N links to /hold?ms=M&i=K (a slow site)
  /big?kb=K             a 200 HTML page of K KiB
  /filler?kb=K          K KiB of filler text, then a wallet and an email
  /status/NNN           status NNN with a small body
  /drip                 200, Content-Length 100000, one byte per second
  /drip-headers         status line, then one header byte per second
  /endless              200, close-delimited body that never ends
  /endless-chunked      200, chunked body that never ends
  /gzip-bomb            1 GiB of zeros, gzip, compressed while sending
  /br-bomb              1 GiB of zeros, brotli, compressed while sending
  /redirect?to=URL[&code=302]   redirect anywhere (file:, javascript:, ...)
  /redirect-metadata    302 -> http://169.254.169.254/latest/meta-data/
  /loop/a, /loop/b      302 to each other
  /chain/N              302 -> /chain/N-1 ... /chain/0 is 200
  /malformed-status     a status line that is not HTTP
  /http09               no status line at all (HTTP/0.9-style body)
  /malformed-header     header line without a colon, then a normal reply
  /huge-headers?n=N     N header lines of ~100 bytes (default 4000)
  /header-never-ends    one header line that never ends ('a' forever)
  /headers-forever      header lines forever, never the blank line
  /silent               reads the request, never answers
  /partial              Content-Length 1000, sends 10 bytes, closes
  /interim              100 Continue and 103 Early Hints, then the 200
  /switch               101 Switching Protocols nobody asked for, then silence
  /folded               a header folded over three lines (obs-fold)
  /bad-length           Content-Length: banana
  /two-lengths          two different Content-Length headers
  /hold?ms=M            answers after M ms; counts requests in progress
                        per Host header (see /stats)
  /stats                JSON {"max_active": {host: n}, "max_total": n,
                        "requests": {host: n}}
  /reset                clears the counters
  /echo                 request head, then the request body (Content-Length
                        bytes, at most 1 MiB), as the body (text/plain)
  /bytes/ctype          Content-Type with invalid UTF-8 and control bytes
  /bytes/location       302 whose Location carries invalid UTF-8 (-> /bytes/page)
  /bytes/header         header names and values with 0xff, ESC, bare CR
  /bytes/header-nul     a header value with a NUL byte
  /bytes/reason         a reason phrase of raw 8-bit bytes
  /bytes/page           HTML whose title, text, links and scripts hold invalid
                        UTF-8, NUL and control bytes (200)
  /bytes/refresh        meta refresh to file:///etc/passwd
  /set-cookie           302 to /need-cookie with Set-Cookie: chain=1
  /need-cookie          200 "cookie ok" when the cookie came back, else 403
"""

import argparse
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
import zlib

try:
    import brotli  # Debian: python3-brotli
except ImportError:  # the fixture refuses to start without it
    brotli = None

# A request head larger than this is refused: the server itself must stay bounded.
MAX_REQUEST_HEAD = 64 * 1024
# No handler runs longer than this, whatever the client does.
MAX_HANDLER_SECONDS = 120
ONE_MIB = b"\0" * (1 << 20)
GIB_IN_MIB = 1024

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "fetch")

lock = threading.Lock()
active = {}
max_active = {}
requests = {}
total = [0, 0]  # requests in /hold now, most at once


def page_bytes():
    with open(os.path.join(FIXTURES, "site", "index.html"), "rb") as f:
        return f.read()


def reply(conn, status, body=b"", headers=(), reason="OK"):
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    have_type = any(k.lower() == "content-type" for k, _ in headers)
    if not have_type:
        head += "Content-Type: text/html; charset=utf-8\r\n"
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    head += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    conn.sendall(head.encode("latin-1") + body)


def redirect(conn, location, code=302):
    reply(conn, code, b"<a href='moved'>moved</a>", [("Location", location)], reason="Found")


def stream_compressed(conn, encoding):
    """1 GiB of zeros, compressed one MiB at a time as the client reads."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: %s\r\n"
                 b"Connection: close\r\n\r\n" % encoding.encode())
    if encoding == "gzip":
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)
        step, finish = comp.compress, comp.flush
    else:
        comp = brotli.Compressor(quality=1)
        step, finish = comp.process, comp.finish
    for _ in range(GIB_IN_MIB):
        out = step(ONE_MIB)
        if out:
            conn.sendall(out)
    conn.sendall(finish())


def encoded_page(kind):
    page = page_bytes()
    if kind == "gzip":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        return "gzip", c.compress(page) + c.flush()
    if kind == "deflate-zlib":
        return "deflate", zlib.compress(page, 9)
    if kind == "deflate-raw":
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return "deflate", c.compress(page) + c.flush()
    if kind == "br":
        return "br", brotli.compress(page)
    if kind == "gzip-br":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        return "gzip, br", brotli.compress(c.compress(page) + c.flush())
    if kind == "zstd":
        # Python 3.11 has no zstd: the fixture made by the zstd CLI
        # (tests/fixtures/fetch/make_encoded.sh) encodes this very page.
        with open(os.path.join(FIXTURES, "encoded", "index.html.zst"), "rb") as f:
            return "zstd", f.read()
    if kind == "gzip-corrupt":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        data = bytearray(c.compress(page) + c.flush())
        for i in range(20, 40):
            data[i] ^= 0x5A
        return "gzip", bytes(data)
    if kind == "xz":
        return "xz", page  # an encoding no browser decodes
    if kind == "gzip-truncated":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        data = c.compress(page) + c.flush()
        return "gzip", data[: len(data) // 2]
    return None, None


def wait_for_close(conn, limit=MAX_HANDLER_SECONDS):
    """Holds the connection open, answering nothing, until the peer leaves."""
    conn.settimeout(1.0)
    end = time.time() + limit
    while time.time() < end:
        try:
            if not conn.recv(4096):
                return
        except socket.timeout:
            continue
        except OSError:
            return


def handle(conn, path, query, head_text, headers, rest=b""):
    host = headers.get("host", "")
    with lock:
        requests[host] = requests.get(host, 0) + 1

    if path == "/ok":
        reply(conn, 200, b"<html><head><title>ok</title></head><body>ok</body></html>")
    elif path == "/page":
        reply(conn, 200, page_bytes())
    elif path.startswith("/enc/"):
        enc, data = encoded_page(path[len("/enc/"):])
        if enc is None:
            reply(conn, 404, b"no such encoding")
        else:
            reply(conn, 200, data, [("Content-Encoding", enc)])
    elif path.startswith("/status/"):
        code = int(path[len("/status/"):] or "200")
        reply(conn, code, b"<html><body>status %d</body></html>" % code, reason="Status")
    elif path == "/drip":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(MAX_HANDLER_SECONDS):
            conn.sendall(b"x")
            time.sleep(1)
    elif path == "/drip-headers":
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(MAX_HANDLER_SECONDS):
            conn.sendall(b"X")
            time.sleep(1)
    elif path == "/endless":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        chunk = b"<p>" + b"A" * 65530 + b"</p>"
        end = time.time() + MAX_HANDLER_SECONDS
        while time.time() < end:
            conn.sendall(chunk)
    elif path == "/endless-chunked":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        data = b"B" * 65536
        chunk = b"%x\r\n" % len(data) + data + b"\r\n"
        end = time.time() + MAX_HANDLER_SECONDS
        while time.time() < end:
            conn.sendall(chunk)
    elif path == "/gzip-bomb":
        stream_compressed(conn, "gzip")
    elif path == "/br-bomb":
        stream_compressed(conn, "br")
    elif path == "/redirect":
        code = int(query.get("code", ["302"])[0])
        redirect(conn, query.get("to", ["/ok"])[0], code)
    elif path == "/redirect-metadata":
        redirect(conn, "http://169.254.169.254/latest/meta-data/")
    elif path == "/loop/a":
        redirect(conn, "/loop/b")
    elif path == "/loop/b":
        redirect(conn, "/loop/a")
    elif path.startswith("/chain/"):
        n = int(path[len("/chain/"):] or "0")
        if n <= 0:
            reply(conn, 200, b"<html><body>end of chain</body></html>")
        else:
            redirect(conn, "/chain/%d" % (n - 1), 301)
    elif path == "/malformed-status":
        conn.sendall(b"HTTP/1.1 TWO-HUNDRED Sure\r\nContent-Length: 5\r\n\r\nhello")
    elif path == "/http09":
        conn.sendall(b"<html>no status line, no headers</html>\n")
    elif path == "/malformed-header":
        conn.sendall(b"HTTP/1.1 200 OK\r\nThis line has no colon\r\nX-Good: yes\r\n"
                     b"Content-Type: text/html\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
    elif path == "/huge-headers":
        n = int(query.get("n", ["4000"])[0])
        out = [b"HTTP/1.1 200 OK\r\n"]
        for i in range(n):
            out.append(b"X-Filler-%05d: %s\r\n" % (i, b"f" * 80))
        out.append(b"Content-Length: 2\r\nConnection: close\r\n\r\nok")
        conn.sendall(b"".join(out))
    elif path == "/header-never-ends":
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Endless: ")
        data = b"a" * 65536
        end = time.time() + MAX_HANDLER_SECONDS
        while time.time() < end:
            conn.sendall(data)
    elif path == "/headers-forever":
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        i = 0
        end = time.time() + MAX_HANDLER_SECONDS
        while time.time() < end:
            conn.sendall(b"".join(b"X-More-%d: %s\r\n" % (i + j, b"m" * 60) for j in range(256)))
            i += 256
    elif path == "/silent":
        wait_for_close(conn)
    elif path == "/interim":
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x.css>; rel=preload\r\n\r\n"
                     b"HTTP/1.1 200 OK\r\nX-Final: yes\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfinal")
    elif path == "/switch":
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        wait_for_close(conn)
    elif path == "/folded":
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Folded: first\r\n  second\r\n\tthird\r\nX-After: 1\r\n"
                     b"Content-Length: 2\r\nConnection: close\r\n\r\nok")
    elif path == "/bad-length":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: banana\r\nConnection: close\r\n\r\nbody")
    elif path == "/two-lengths":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 9\r\nConnection: close\r\n\r\nbody")
    elif path == "/partial":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n0123456789")
    elif path == "/hold":
        ms = int(query.get("ms", ["300"])[0])
        with lock:
            active[host] = active.get(host, 0) + 1
            max_active[host] = max(max_active.get(host, 0), active[host])
            total[0] += 1
            total[1] = max(total[1], total[0])
        try:
            time.sleep(ms / 1000.0)
        finally:
            # Counted out before replying: once the client has the reply it
            # may start the next request, which must not overlap this one.
            with lock:
                active[host] -= 1
                total[0] -= 1
        reply(conn, 200, b"<html><body>held</body></html>")
    elif path == "/stats":
        with lock:
            body = json.dumps({"max_active": max_active, "max_total": total[1],
                               "requests": requests}).encode()
        reply(conn, 200, body, [("Content-Type", "application/json")])
    elif path == "/reset":
        with lock:
            active.clear()
            max_active.clear()
            requests.clear()
            total[0] = total[1] = 0
        reply(conn, 200, b"reset")
    elif path == "/echo":
        body = b""
        try:
            want = min(int(headers.get("content-length", "0")), 1 << 20)
        except ValueError:
            want = 0
        body = rest[:want]
        while len(body) < want:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        reply(conn, 200, head_text.encode("latin-1") + b"\r\n\r\n" + body,
              [("Content-Type", "text/plain")])
    elif path == "/links":
        n = min(int(query.get("n", ["10"])[0]), 10000)
        ms = int(query.get("ms", ["1000"])[0])
        links = "".join("<a href='/hold?ms=%d&amp;i=%d'>p%d</a>\n" % (ms, i, i) for i in range(n))
        reply(conn, 200, ("<html><head><title>links</title></head><body>%s</body></html>" % links).encode())
    elif path == "/big":
        kb = min(int(query.get("kb", ["100"])[0]), 64 * 1024)
        filler = b"<p>" + b"lorem ipsum dolor sit amet " * 37 + b"</p>\n"  # ~1 KiB
        reply(conn, 200, b"<html><head><title>big</title></head><body>" + filler * kb + b"</body></html>")
    elif path == "/filler":
        kb = min(int(query.get("kb", ["1200"])[0]), 64 * 1024)
        filler = b"<p>" + b"lorem ipsum dolor sit amet " * 37 + b"</p>\n"
        tail = (b"<p>Send the fee to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq or write to "
                b"refunds@late-payload.com</p>")
        reply(conn, 200, b"<html><head><title>filler</title></head><body>" + filler * kb + tail + b"</body></html>")
    elif path.startswith("/bytes/"):
        hostile_bytes(conn, path[len("/bytes/"):])
    elif path == "/set-cookie":
        reply(conn, 302, b"", [("Location", "/need-cookie"), ("Set-Cookie", "chain=1; Path=/")])
    elif path == "/need-cookie":
        if "chain=1" in headers.get("cookie", ""):
            reply(conn, 200, b"cookie ok")
        else:
            reply(conn, 403, b"no cookie")
    else:
        reply(conn, 404, b"not found")


# Bytes no valid UTF-8 text holds: lone continuation, overlong, surrogate,
# 0xff, NUL and terminal escapes. Sent as latin-1 so each char is one byte.
BAD = "\xff\xfe\x80\xc0\xaf\xed\xa0\x80\x00\x1b[31m\x7f"
BAD_BODY = (b"<!doctype html><html lang='\xff'><head><title>Bank \xff\xfe\x00 login\x1b[2J</title>"
            b"<meta name='description' content='\xc0\xaf'></head><body>"
            b"<p>Contact: support\xff@example.com \x00 phone +46 8 123 456 78 or help@bytes-mail.com</p>"
            b"<a href='/p\xff\xfeq'>next</a><a href='http://\xff\xfe.example/'>host</a>"
            b"<form action='/\xed\xa0\x80'><input type='password' name='p\xff'></form>"
            b"<script>var w='\xff'; location='/ok';</script></body></html>")


def hostile_bytes(conn, kind):
    if kind == "ctype":
        reply(conn, 200, b"<title>ctype</title>", [("Content-Type", "text/html; charset=" + BAD.replace("\x00", ""))])
    elif kind == "location":
        redirect(conn, "/bytes/page?" + BAD.replace("\x00", ""), 302)
    elif kind == "header":
        head = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Bad\xff: v" + BAD.replace("\x00", "") +
                "\r\nSet-Cookie: a=\xff\xfe; path=/\xc0\r\nServer: evil\rinjected\r\n"
                "Content-Length: 13\r\nConnection: close\r\n\r\n")
        conn.sendall(head.encode("latin-1") + b"<p>header</p>")
    elif kind == "header-nul":
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Nul: a\x00b\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    elif kind == "reason":
        conn.sendall(("HTTP/1.1 200 " + BAD.replace("\x00", "") + "\r\nContent-Type: text/html\r\n"
                      "Content-Length: 13\r\nConnection: close\r\n\r\n<p>reason</p>").encode("latin-1"))
    elif kind == "page":
        reply(conn, 200, BAD_BODY)
    elif kind == "refresh":
        reply(conn, 200, b"<html><head><meta http-equiv='refresh' content='0;url=file:///etc/passwd'>"
                         b"<title>refresh</title></head><body>moving</body></html>")
    else:
        reply(conn, 404, b"not found")


def serve_connection(conn):
    try:
        conn.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
            if len(data) > MAX_REQUEST_HEAD:
                return
        head_bytes, rest = data.split(b"\r\n\r\n", 1)
        head = head_bytes.decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2:
            return
        target = urllib.parse.urlsplit(parts[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        conn.settimeout(MAX_HANDLER_SECONDS)
        handle(conn, target.path, urllib.parse.parse_qs(target.query), head, headers, rest)
    except (OSError, ValueError):
        pass  # the client hung up (what the tests want) or sent garbage
    finally:
        try:
            conn.close()
        except OSError:
            pass


def blackhole(port):
    """A listener nobody accepts from, its queue filled by our own connects:
    Linux then drops further SYNs, so a client's connect() never completes."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(0)
    fillers = []
    for _ in range(4):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(s)
    time.sleep(0.2)
    return srv, fillers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--blackhole-port", type=int, required=True)
    args = ap.parse_args()
    if brotli is None:
        print("hostile_server: python3-brotli is missing", file=sys.stderr)
        return 2
    hole = blackhole(args.blackhole_port)  # noqa: F841 (kept open for the process lifetime)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(512)
    print("hostile_server: listening on 127.0.0.1:%d, blackhole %d" % (args.port, args.blackhole_port),
          file=sys.stderr, flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve_connection, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
