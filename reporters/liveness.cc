#include "reporters/liveness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace dragnet::reporters {
namespace {

bool PrivateAddress(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    uint32_t a = ntohl(reinterpret_cast<const sockaddr_in*>(sa)->sin_addr.s_addr);
    auto in = [&](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
           in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) || in(0xE0000000, 4) ||
           in(0xF0000000, 4);
  }
  if (sa->sa_family == AF_INET6) {
    const unsigned char* b = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr.s6_addr;
    static const unsigned char kLoop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char kAny[16] = {};
    if (std::memcmp(b, kLoop, 16) == 0 || std::memcmp(b, kAny, 16) == 0) return true;
    if ((b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || b[0] == 0xFF) return true;
    // IPv4-mapped: judge the IPv4 address.
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(b, kMapped, 12) == 0) {
      sockaddr_in v4{};
      v4.sin_family = AF_INET;
      std::memcpy(&v4.sin_addr, b + 12, 4);
      return PrivateAddress(reinterpret_cast<const sockaddr*>(&v4));
    }
    return false;
  }
  return true;
}

struct GuardCtx {
  bool allow_private;
  bool refused = false;
};

curl_socket_t OpenSocket(void* clientp, curlsocktype, struct curl_sockaddr* addr) {
  auto* g = static_cast<GuardCtx*>(clientp);
  if (!g->allow_private && PrivateAddress(&addr->addr)) {
    g->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(addr->family, addr->socktype, addr->protocol);
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// Stop after the first bytes of the body: the status is what we need.
int Progress(void*, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t) { return dlnow > (64 << 10) ? 1 : 0; }

}  // namespace

LivenessProbe::Liveness AlwaysLiveProbe::Check(const std::string&) {
  return {true, 0, FormatRfc3339Ms(clock_->NowUnixMs()), "not checked (freshness gate off)"};
}

LivenessProbe::Liveness CurlLivenessProbe::Check(const std::string& url) {
  Liveness out;
  out.checked_at = FormatRfc3339Ms(clock_->NowUnixMs());
  CURL* c = curl_easy_init();
  if (!c) {
    out.detail = "curl_easy_init failed";
    return out;
  }
  GuardCtx guard{opts_.allow_private};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(opts_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opts_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);  // scam sites' certificates are often bad; we only need liveness
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, opts_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, Progress);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  out.status = status;
  if (status == 0) {
    out.live = false;
    out.detail = guard.refused ? "refused: the host resolves to a private address"
                               : std::string("no response: ") + curl_easy_strerror(rc);
  } else if (status == 404 || status == 410 || status == 451) {
    out.live = false;
    out.detail = "HTTP " + std::to_string(status) + ": content removed";
  } else {
    out.live = true;
    out.detail = "HTTP " + std::to_string(status);
  }
  return out;
}

}  // namespace dragnet::reporters
