#pragma once
// Delivery transports: SMTP through libcurl (smtp:// with optional
// STARTTLS, or smtps:// implicit TLS; AUTH when a username is set) and HTTP
// webhooks (JSON POST, HMAC-SHA256 signature over "<timestamp>.<body>",
// bearer token). Each call is one bounded attempt; retries, backoff and
// bookkeeping belong to ReportService. A Status that is not ok means "not
// accepted": the message stays in the outbox. Thread-safe (one curl easy
// handle per call).

#include <cstdint>
#include <string>

#include "core/status.h"
#include "reporters/options.h"

namespace dragnet::reporters {

// Server replies kept for the ledger's last_error.
inline constexpr size_t kMaxReplyBytes = 4096;

// Sends `eml` (CRLF lines) from `envelope_from` to `rcpt`.
Status SendSmtp(const ReporterOptions& o, const std::string& envelope_from, const std::string& rcpt,
                const std::string& eml);

// POSTs `body` (JSON) to the route; headers: Content-Type, the signature
// header "sha256=<hex HMAC-SHA256(secret, ts + "." + body)>",
// X-Dragnet-Timestamp: ts, Authorization: Bearer <token>, and
// Idempotency-Key: <message_id> so a receiver can drop a re-send.
// 2xx = accepted.
Status PostWebhook(const WebhookRoute& route, const std::string& message_id, const std::string& body,
                   int64_t unix_s);

// The signature header value for `body` at `unix_s`.
std::string WebhookSignature(const std::string& secret, int64_t unix_s, const std::string& body);

}  // namespace dragnet::reporters
