#!/usr/bin/python3
"""A webhook receiver for reporter tests (127.0.0.1 only).

Verifies the signature header (default X-Dragnet-Signature: "sha256=" + hex
HMAC-SHA256(secret, X-Dragnet-Timestamp + "." + body)) with an independent
implementation (Python's hmac), and the bearer token. Answers 204 when both
are right, 401 otherwise, 503 for the first --fail-first requests. Appends
one JSON line per request to --log.
"""
import argparse
import hashlib
import hmac
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 32 << 20  # a report with evidence is a few MB at most


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--token", default="")
    ap.add_argument("--log", required=True)
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--header", default="X-Dragnet-Signature")
    args = ap.parse_args()
    state = {"seen": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            if n > MAX_BODY:
                self.send_response(413)
                self.end_headers()
                return
            body = self.rfile.read(n)
            ts = self.headers.get("X-Dragnet-Timestamp", "")
            want = "sha256=" + hmac.new(args.secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
            sig_ok = hmac.compare_digest(want, self.headers.get(args.header, ""))
            token_ok = (not args.token) or self.headers.get("Authorization", "") == "Bearer " + args.token
            state["seen"] += 1
            failing = state["seen"] <= args.fail_first
            with open(args.log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"path": self.path, "signature_ok": sig_ok, "token_ok": token_ok,
                                     "timestamp": ts, "failed_on_purpose": failing,
                                     "idempotency_key": self.headers.get("Idempotency-Key", ""),
                                     "body": body.decode("utf-8", "replace")}) + "\n")
            code = 503 if failing else (204 if sig_ok and token_ok else 401)
            self.send_response(code)
            self.end_headers()

        def log_message(self, *a):
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
