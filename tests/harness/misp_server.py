#!/usr/bin/python3
"""A stand-in MISP server for push tests (127.0.0.1 only).

Implements the two calls Dragnet makes, answering as MISP's
EventsController does:
  POST /events/add         -> 200 {"Event": {...}}; 404 "Event already
                              exists, if you would like to edit it, use the
                              url in the location header." (with Location)
                              when an event with that UUID is stored
  POST /events/edit/<uuid> -> 200 {"Event": {...}}; 404 "Invalid event." when
                              none is stored; 403 "Event could not be saved:
                              Event in the request not newer than the local
                              copy." when Event.timestamp is not above the
                              stored one
Every request must carry `Authorization: <key>` (else 403, as MISP answers
an unknown key) and a body that tests/unit/intel/validate_export.py accepts
as a MISP event (PyMISP's schema-lax.json and the misp-objects templates;
else 400 with the problems).

Faults, by the request's ordinal (1 = the first POST, any outcome):
  --fail N,...  answer 500 without looking at the request (nothing stored)
  --lose N,...  handle the request (store it) but answer 503, as if the
                answer were lost on the way back
One JSON line per request goes to --log: {n, method, path, status, uuid,
auth, timestamp, problems}; --events holds the stored events ({uuid: event}).
"""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 16 << 20  # a campaign event is a few hundred KB at most
EXISTS = "Event already exists, if you would like to edit it, use the url in the location header."


def ordinals(text):
    return {int(x) for x in text.split(",") if x.strip()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--validator", required=True)
    ap.add_argument("--fail", type=ordinals, default=set())
    ap.add_argument("--lose", type=ordinals, default=set())
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(args.validator))
    import validate_export  # noqa: E402

    events = {}
    state = {"n": 0}
    lock = threading.Lock()  # one request handled at a time: ordinals and the log stay in order

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, status, doc, uuid="", timestamp="", problems=(), headers=()):
            if self.n in args.lose and status < 300:
                status, doc = 503, {"name": "Service Unavailable", "message": "lost"}
            # Logged before answering: the client's next request (on another
            # thread of the server) must not be logged before this one.
            with open(args.log, "a") as f:
                f.write(json.dumps({"n": self.n, "method": self.command, "path": self.path, "status": status,
                                    "uuid": uuid, "auth": self.headers.get("Authorization", ""),
                                    "timestamp": timestamp, "problems": list(problems)}) + "\n")
            with open(args.events, "w") as f:
                json.dump(events, f)
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            with lock:
                state["n"] += 1
                self.n = state["n"]
                self.answer(405, {"message": "POST only"})

        def do_POST(self):
            with lock:
                self.handle_post()

        def handle_post(self):
            state["n"] += 1
            self.n = state["n"]
            n = int(self.headers.get("Content-Length", "0"))
            if n > MAX_BODY:
                return self.answer(413, {"message": "too large"})
            raw = self.rfile.read(n)
            if self.n in args.fail:
                return self.answer(500, {"name": "Internal Server Error", "message": "failed"})
            if self.headers.get("Authorization") != args.key:
                return self.answer(403, {"name": "Authentication failed. Please make sure you pass the API key "
                                         "of an API enabled user along in the Authorization header.",
                                         "message": "Authentication failed.", "url": self.path})
            try:
                doc = json.loads(raw)
            except ValueError:
                return self.answer(400, {"message": "not JSON"})
            problems = validate_export.check_misp(doc, args.fixtures)
            event = doc.get("Event", {}) if isinstance(doc, dict) else {}
            uuid, ts = event.get("uuid", ""), event.get("timestamp", "")
            if problems:
                return self.answer(400, {"message": "invalid event", "errors": problems}, uuid, ts, problems)
            if self.path == "/events/add":
                if uuid in events:
                    return self.answer(404, {"name": EXISTS, "message": EXISTS, "url": "/events/add"}, uuid, ts,
                                       headers=[("Location", "/events/" + events[uuid]["id"])])
                events[uuid] = dict(event, id=str(len(events) + 1))
            elif self.path.startswith("/events/edit/"):
                target = self.path[len("/events/edit/"):]
                if target not in events or target != uuid:
                    return self.answer(404, {"name": "Invalid event.", "message": "Invalid event.",
                                             "url": self.path}, uuid, ts)
                if int(ts or 0) <= int(events[uuid].get("timestamp") or 0):
                    why = "Event could not be saved: Event in the request not newer than the local copy."
                    return self.answer(403, {"saved": False, "name": "Could not edit Event", "message": why,
                                             "url": self.path, "errors": why}, uuid, ts)
                events[uuid] = dict(event, id=events[uuid]["id"])
            else:
                return self.answer(404, {"message": "no such endpoint"})
            return self.answer(200, {"Event": events[uuid]}, uuid, ts)

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
