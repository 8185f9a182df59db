#!/usr/bin/python3
"""A local RFC 3161 time-stamping authority for evidence tests (127.0.0.1 only).

On start, makes a throwaway CA and a TSA certificate (extendedKeyUsage
critical timeStamping) with the openssl command in --dir, and an `openssl ts`
config. Then serves HTTP: each POST body (a DER TimeStampReq) is answered by
running `openssl ts -reply -config ...` on it (application/timestamp-reply).
Writes --dir/ca.pem (the trust anchor a verifier needs) before listening,
and appends one line per request to --dir/requests.log.
"""
import argparse
import os
import subprocess
import tempfile
from http.server import BaseHTTPRequestHandler, HTTPServer

MAX_QUERY = 64 << 10  # a TimeStampReq is about 60 bytes


def sh(*argv, cwd):
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True)


def make_ca(d):
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
       "-subj", "/CN=Dragnet test TSA CA", "-days", "2",
       "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", cwd=d)
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
       "-subj", "/CN=Dragnet test TSA", cwd=d)
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=critical,timeStamping\n")
    sh("openssl", "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
       "-out", "tsa.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("01\n")
    with open(os.path.join(d, "ts.cnf"), "w") as f:
        f.write(f"""[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {d}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    d = os.path.abspath(args.dir)
    make_ca(d)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            if n > MAX_QUERY:
                self.send_response(413)
                self.end_headers()
                return
            query = self.rfile.read(n)
            with tempfile.TemporaryDirectory(dir=d) as tmp:
                q, r = os.path.join(tmp, "q.der"), os.path.join(tmp, "r.der")
                with open(q, "wb") as f:
                    f.write(query)
                res = subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(d, "ts.cnf"),
                                      "-queryfile", q, "-out", r], capture_output=True)
                body = open(r, "rb").read() if res.returncode == 0 else b""
            with open(os.path.join(d, "requests.log"), "a") as f:
                f.write(f"{self.headers.get('Content-Type')} {n} {res.returncode}\n")
            self.send_response(200 if body else 400)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = HTTPServer(("127.0.0.1", args.port), Handler)
    srv.serve_forever()


if __name__ == "__main__":
    main()
