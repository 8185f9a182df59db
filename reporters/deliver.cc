#include "reporters/deliver.h"

#include <curl/curl.h>

#include <cstring>

#include "core/hash.h"

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

size_t CollectCb(char* buf, size_t size, size_t n, void* p) {
  auto* s = static_cast<std::string*>(p);
  size_t k = size * n;
  if (s->size() < kMaxReplyBytes) s->append(buf, std::min(k, kMaxReplyBytes - s->size()));
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

Status PostWebhook(const WebhookRoute& route, const std::string& message_id, const std::string& body,
                   int64_t unix_s) {
  CURL* c = curl_easy_init();
  if (!c) return Internal("curl_easy_init failed");
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string reply;
  curl_slist* h = nullptr;
  h = curl_slist_append(h, "Content-Type: application/json");
  h = curl_slist_append(h, ("X-Dragnet-Timestamp: " + std::to_string(unix_s)).c_str());
  h = curl_slist_append(h, ("Idempotency-Key: " + message_id).c_str());
  if (!route.secret.empty()) {
    h = curl_slist_append(h, (route.signature_header + ": " + WebhookSignature(route.secret, unix_s, body)).c_str());
  }
  if (!route.token.empty()) h = curl_slist_append(h, ("Authorization: Bearer " + route.token).c_str());
  curl_easy_setopt(c, CURLOPT_URL, route.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, CollectCb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(route.timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) return CurlError(("webhook " + route.name).c_str(), rc, errbuf);
  if (status < 200 || status > 299) {
    return Unavailable("webhook " + route.name + ": HTTP " + std::to_string(status) + ": " + reply.substr(0, 200));
  }
  return Status::Ok();
}

}  // namespace dragnet::reporters
