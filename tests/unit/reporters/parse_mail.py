#!/usr/bin/python3
"""Parses one stored email with Python's email package (an independent MIME
parser) and prints a JSON summary for the reporter tests:
  {to, from, subject (decoded), raw_subject, headers: {name: [values]},
   body, attachments: [{filename, content_type, size, gunzip_sha256}]}
X-ARF attachments (xarf-*.json) are written into OUTDIR for validation.
Usage: parse_mail.py MESSAGE OUTDIR
"""
import email
import email.policy
import gzip
import hashlib
import json
import os
import sys


def main():
    path, outdir = sys.argv[1], sys.argv[2]
    with open(path, "rb") as fh:
        raw = fh.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for k, v in msg.items():
        headers.setdefault(k.lower(), []).append(str(v))
    raw_headers = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    body = None
    atts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        fn = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if not fn and body is None and part.get_content_type() == "text/plain":
            body = part.get_content()
            continue
        info = {"filename": fn, "content_type": part.get_content_type(), "size": len(data)}
        if fn and fn.endswith(".gz"):
            info["gunzip_sha256"] = hashlib.sha256(gzip.decompress(data)).hexdigest()
        if fn and fn.startswith("xarf-") and fn.endswith(".json"):
            os.makedirs(outdir, exist_ok=True)
            with open(os.path.join(outdir, os.path.basename(path) + "-" + fn), "wb") as out:
                out.write(data)
            info["xarf"] = json.loads(data)
        atts.append(info)
    print(json.dumps({"to": str(msg["To"]), "from": str(msg["From"]), "subject": str(msg["Subject"]),
                      "raw_headers": raw_headers, "headers": headers, "body": body, "attachments": atts,
                      "defects": [str(d) for d in msg.defects]}))


if __name__ == "__main__":
    main()
