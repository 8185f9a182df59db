#pragma once
// SmtpServer: a real SMTP server on 127.0.0.1 for reporter tests — Debian's
// python3-aiosmtpd with its Mailbox handler, which stores every accepted
// message in a Maildir (adding X-MailFrom / X-RcptTo headers with the
// envelope). Stop() and Start() keep the port, so a test can take the
// server down and bring it back. Killed on destruction. Not thread-safe.

#include <string>
#include <vector>

#include "tests/harness/harness.h"

namespace dragnet::testing {

class SmtpServer {
 public:
  // Picks a free port and starts the server; throws std::runtime_error when
  // it does not accept connections within 15 s.
  SmtpServer();
  ~SmtpServer();

  void Start();
  void Stop();
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  const std::string& maildir() const { return maildir_; }
  // Paths of the stored messages (Maildir new/ and cur/), sorted.
  std::vector<std::string> Messages() const;

 private:
  TempDir dir_;
  std::string maildir_;
  int port_ = 0;
  Process proc_;
};

// WebhookReceiver: tests/harness/webhook_receiver.py on 127.0.0.1 — accepts
// POSTs, verifies the HMAC-SHA256 signature header against `secret` and the
// bearer token, answers 204 when both are right and 401 otherwise, and
// appends one JSON line per request to a log: {"path", "signature_ok",
// "token_ok", "timestamp", "idempotency_key", "body"}. `fail_first` requests
// are answered 503 (to exercise retries).
class WebhookReceiver {
 public:
  WebhookReceiver(const std::string& secret, const std::string& token, int fail_first = 0);
  ~WebhookReceiver();
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/reports"; }
  // One JSON document per request received, in order.
  std::vector<std::string> Requests() const;

 private:
  TempDir dir_;
  int port_ = 0;
  Process proc_;
};

}  // namespace dragnet::testing
