#include "reporters/deliver.h"

#include <curl/curl.h>

#include <cstring>

#include "core/hash.h"
#include "dragnet/version.h"

namespace dragnet::reporters {
namespace {

struct Reader {
  const std::string* data;
  size_t pos = 0;
};

size_t ReadCb(char* buf, size_t size, size_t n, void* p) {
  auto* r = static_cast<Reader*>(p);
  size_t want = size * n;
  size_t left = r->data->size() - r->pos;
  size_t k = want < left ? want : left;
  std::memcpy(buf, r->data->data() + r->pos, k);
  r->pos += k;
  return k;
}

Status CurlError(const char* what, CURLcode rc, const char* errbuf) {
  std::string msg = std::string(what) + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(rc));
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: return Timeout(msg);
    case CURLE_LOGIN_DENIED: return Refused(msg);
    default: return Unavailable(msg);
  }
}

}  // namespace

Status SendSmtp(const ReporterOptions& o, const std::string& envelope_from, const std::string& rcpt,
                const std::string& eml) {
  if (o.smtp_url.empty()) return InvalidArgument("delivery.smtp.url is not set");
  CURL* c = curl_easy_init();
  if (!c) return Internal("curl_easy_init failed");
  char errbuf[CURL_ERROR_SIZE] = {0};
  Reader reader{&eml};
  curl_slist* rcpts = curl_slist_append(nullptr, ("<" + rcpt + ">").c_str());
  std::string from = "<" + envelope_from + ">";
  curl_easy_setopt(c, CURLOPT_URL, o.smtp_url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadCb);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o.smtp_timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(o.smtp_timeout_ms, 15000)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (o.smtp_starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!o.smtp_ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.smtp_ca_file.c_str());
  if (!o.smtp_username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, o.smtp_username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, o.smtp_password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpts);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) {
    Status st = CurlError("SMTP", rc, errbuf);
    return Status(st.code(), st.message() + (code ? " (last reply " + std::to_string(code) + ")" : ""));
  }
  return Status::Ok();
}

std::string WebhookSignature(const std::string& secret, int64_t unix_s, const std::string& body) {
  return "sha256=" + HmacSha256Hex(secret, std::to_string(unix_s) + "." + body);
}

Status PostWebhook(HttpClient& http, const WebhookRoute& route, const std::string& message_id,
                   const std::string& body, int64_t unix_s) {
  HttpRequest req;
  req.method = "POST";
  req.url = route.url;
  req.body = body;
  req.headers = {"Content-Type: application/json", "Accept: */*",
                 "User-Agent: dragnet/" + std::string(DRAGNET_VERSION) + " (webhook)",
                 "X-Dragnet-Timestamp: " + std::to_string(unix_s), "Idempotency-Key: " + message_id};
  if (!route.secret.empty()) {
    req.headers.push_back(route.signature_header + ": " + WebhookSignature(route.secret, unix_s, body));
  }
  if (!route.token.empty()) req.headers.push_back("Authorization: Bearer " + route.token);
  req.timeout_ms = route.timeout_ms;
  req.max_body_bytes = static_cast<int64_t>(kMaxReplyBytes);  // the reply is only kept for last_error
  req.follow_redirects = false;
  HttpResponse r = http.Send(req);
  const std::string what = "webhook " + route.name;
  // A reply cut at kMaxReplyBytes still has its status.
  if (r.status == 0) {
    if (r.error_kind == "timeout" || r.error_kind == "low_speed") return Timeout(what + ": " + r.error);
    if (r.error_kind == "refused" || r.error_kind == "scheme") return Refused(what + ": " + r.error);
    return Unavailable(what + ": " + (r.error.empty() ? std::string("no response") : r.error));
  }
  if (r.status < 200 || r.status > 299) {
    return Unavailable(what + ": HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200));
  }
  return Status::Ok();
}

}  // namespace dragnet::reporters
