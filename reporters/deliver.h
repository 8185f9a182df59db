#pragma once
// Delivery transports: SMTP through libcurl (smtp:// with optional
// STARTTLS, or smtps:// implicit TLS; AUTH when a username is set) and HTTP
// webhooks (JSON POST, HMAC-SHA256 signature over "<timestamp>.<body>",
// bearer token). Each call is one bounded attempt; retries, backoff and
// bookkeeping belong to ReportService. A Status that is not ok means "not
// accepted": the message stays in the outbox. Thread-safe (one curl easy
// handle per SMTP call; webhooks as safe as the HttpClient, which must be).
//
// Webhooks go through the HttpClient the caller gives (core/http.h; in
// production the crawler's GuardedHttpClient), so a webhook URL on a
// loopback, private or metadata address is refused unless [crawl]
// allow_private is on, and the fetcher's limits apply. SMTP is not an HTTP
// fetch: it goes only to the operator's own configured relay
// ([delivery.smtp] url), with libcurl's SMTP client, and is not guarded.

#include <cstdint>
#include <string>

#include "core/http.h"
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
// 2xx = accepted. Redirects are not followed (a 3xx is "not accepted": the
// signed body and the token go to the configured URL only). A refusal by
// the SSRF guard is kRefused, naming the address.
Status PostWebhook(HttpClient& http, const WebhookRoute& route, const std::string& message_id,
                   const std::string& body, int64_t unix_s);

// The signature header value for `body` at `unix_s`.
std::string WebhookSignature(const std::string& secret, int64_t unix_s, const std::string& body);

}  // namespace dragnet::reporters
