// Fetcher: see fetcher.h for the contract. Reading order: resolve pins,
// the Chain (one Add(): a redirect chain, one easy handle), curl callbacks
// (headers, body, SSRF guard, TLS trust store), hop completion and
// redirects, the scheduler (global/per-host caps, per-host delay), and the
// epoll event loop.

#include "crawler/fetcher.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/strings.h"
#include "core/text.h"
#include "core/url.h"
#include "crawler/decode.h"
#include "crawler/fetch_tls.h"
#include "crawler/ssrf.h"

namespace dragnet::crawler {
namespace {

// epoll_wait never sleeps longer than this: a bound on how late a missed
// wakeup can be noticed (there should be none; this is a backstop).
constexpr int kMaxWaitMs = 1000;
// Events taken from epoll per wakeup; more are simply taken next round.
constexpr int kMaxEvents = 256;
// Idle per-host records kept before pruning (each is a few dozen bytes; a
// crawl touching millions of hosts must not keep them all).
constexpr size_t kMaxIdleHosts = 4096;
// A Location or refused URL copied into an error is cut to this length.
constexpr size_t kMaxUrlInMessage = 2048;

int64_t MonoMs() { return SystemClock::Instance().MonotonicMs(); }
int64_t NowMs() { return SystemClock::Instance().NowUnixMs(); }

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// A URL from a request or a Location header, for a message or a record:
// text (core/text.h) and bounded.
std::string CutUrl(std::string_view s) { return CutText(s, kMaxUrlInMessage); }

bool IsRedirectStatus(long code) {
  return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
}

// ------------------------------------------------------------ resolve pins ---

struct Pin {
  std::string host;   // lowercase name, or "*"
  std::string port;   // digits, or "*" (only with host "*")
  std::string addrs;  // as curl wants them: "127.0.0.1" or "[::1],127.0.0.1"
};

bool IsIpLiteral(std::string_view s) {
  std::string t(s);
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
  in_addr a4{};
  in6_addr a6{};
  return inet_pton(AF_INET, t.c_str(), &a4) == 1 || inet_pton(AF_INET6, t.c_str(), &a6) == 1;
}

Result<Pin> ParsePin(const std::string& entry) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("invalid resolve pin '" + entry + "': " + why +
                           " (want HOST:PORT:ADDR, HOST may be *)");
  };
  size_t c1 = entry.find(':');
  if (c1 == std::string::npos) return bad("no port");
  size_t c2 = entry.find(':', c1 + 1);
  if (c2 == std::string::npos) return bad("no address");
  Pin pin;
  pin.host = AsciiLower(entry.substr(0, c1));
  pin.port = entry.substr(c1 + 1, c2 - c1 - 1);
  pin.addrs = entry.substr(c2 + 1);
  if (pin.host.empty()) return bad("empty host");
  if (pin.host[0] == '+' || pin.host[0] == '-') return bad("curl's +/- forms are not supported");
  if (pin.port == "*") {
    if (pin.host != "*") return bad("port * is only allowed with host *");
  } else {
    if (pin.port.empty() || pin.port.size() > 5 ||
        !std::all_of(pin.port.begin(), pin.port.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      return bad("port is not a number");
    }
    int port = std::stoi(pin.port);  // at most 5 digits, checked above
    if (port < 1 || port > 65535) return bad("port out of range");
  }
  if (pin.addrs.empty()) return bad("empty address");
  size_t start = 0;
  while (start <= pin.addrs.size()) {
    size_t comma = pin.addrs.find(',', start);
    std::string one = pin.addrs.substr(start, comma == std::string::npos ? std::string::npos
                                                                        : comma - start);
    if (!IsIpLiteral(one)) return bad("'" + one + "' is not an IP address");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return pin;
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

Slist Append(Slist list, const std::string& s) {
  curl_slist* l = curl_slist_append(list.get(), s.c_str());
  if (l == nullptr) return list;  // out of memory: keep what we had
  (void)list.release();
  return Slist(l);
}

}  // namespace

Status CheckResolvePins(const std::vector<std::string>& pins) {
  for (const std::string& p : pins) {
    auto pin = ParsePin(p);
    if (!pin.ok()) return pin.status();
  }
  return Status::Ok();
}

// ================================================================= Impl ===

struct Fetcher::Impl {
  // Why a transfer was stopped by one of our callbacks.
  enum class Abort { kNone, kBody, kDecoded, kHeaders, kRedirectBody, kTlsUnverified, kGuard };

  // One Add(): the request, its redirect chain so far, and the easy handle
  // reused for every hop (so cookies set along the chain are sent on).
  struct Chain {
    Impl* impl = nullptr;
    FetchRequest request;
    Callback done;
    FetchResult result;
    CURL* easy = nullptr;
    Url url;                       // current hop
    std::string via;               // of the current hop
    int redirects_left = 0;
    std::set<std::string> seen;    // normalised URLs of this chain
    Slist resolve;                 // per-hop pins (wildcard pins only)
    Slist own_headers;             // request headers when the request has its own
    std::string method;            // current hop's method (a 303 turns POST into GET)
    std::string first_host;        // host of the request; credentials stay with it
    bool deadline_cut = false;     // this hop's timeout was shortened to the deadline
    bool in_multi = false;

    // ---- per hop ----
    Hop hop;
    // Header fields as received (bytes: a Location is resolved from its
    // own bytes, as browsers do); made text only when copied into the Hop.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string raw_block;         // the final header block, byte for byte
    long parsed_status = 0;
    int64_t header_bytes = 0;
    bool headers_done = false;
    bool redirecting = false;      // 3xx with Location that we will follow
    bool tls_captured = false;
    std::string raw;
    std::string body;
    std::unique_ptr<BodyDecoder> decoder;
    bool decoder_made = false;
    std::string decode_error;
    int64_t redirect_body_bytes = 0;
    Abort abort = Abort::kNone;
    std::string refused;           // the guard's message for the first refused address
    std::string refused_ip;
    int refused_port = 0;
    char errbuf[CURL_ERROR_SIZE] = {0};

    ~Chain() {
      if (easy) curl_easy_cleanup(easy);
    }

    void ResetHop() {
      hop = Hop{};
      headers.clear();
      raw_block.clear();
      parsed_status = 0;
      header_bytes = 0;
      headers_done = false;
      redirecting = false;
      tls_captured = false;
      raw.clear();
      body.clear();
      decoder.reset();
      decoder_made = false;
      decode_error.clear();
      redirect_body_bytes = 0;
      deadline_cut = false;
      abort = Abort::kNone;
      refused.clear();
      refused_ip.clear();
      refused_port = 0;
      errbuf[0] = 0;
    }

    std::string HeaderValues(std::string_view name) const {
      std::string out;
      for (const auto& [k, v] : headers) {
        if (k.size() == name.size() && AsciiLower(k) == name) {
          if (!out.empty()) out += ", ";
          out += v;
        }
      }
      return out;
    }
    std::string LastHeader(std::string_view name) const {
      for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
        if (it->first.size() == name.size() && AsciiLower(it->first) == name) return it->second;
      }
      return {};
    }
  };

  struct HostState {
    int in_flight = 0;
    int64_t next_start_ms = 0;
  };

  Impl(const CrawlOptions& o, FetcherTestOptions t, FetcherStats* s)
      : options(o), test(std::move(t)), stats(s) {
    GlobalInit();
    guard.allow_private = options.allow_private;
    guard.allow = test.guard_allow;
    for (const std::string& entry : options.resolve) {
      auto pin = ParsePin(entry);
      if (!pin.ok()) {
        config_error = pin.status().message();
        break;
      }
      if (pin->host == "*") {
        wildcard_pins.push_back(*pin);
      } else {
        exact_pins.push_back(*pin);
        shared_resolve = Append(std::move(shared_resolve), pin->host + ":" + pin->port + ":" + pin->addrs);
      }
    }
    request_headers = Append(std::move(request_headers), "Accept-Encoding: gzip, deflate, br, zstd");
    request_headers = Append(std::move(request_headers),
                             "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    request_headers = Append(std::move(request_headers), "Accept-Language: en-US,en;q=0.9");
    multi = curl_multi_init();
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd >= 0 && wake_fd >= 0) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = wake_fd;
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev);
    }
    if (multi) {
      curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::OnSocket);
      curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
      curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::OnTimer);
      curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
      // Keep idle connections for reuse, but not more than we run at once.
      curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(std::max(1, options.global_concurrency)));
    }
  }

  ~Impl() {
    for (Chain* c : live) {
      if (c->in_multi) curl_multi_remove_handle(multi, c->easy);
      delete c;
    }
    live.clear();
    if (multi) curl_multi_cleanup(multi);
    if (epoll_fd >= 0) close(epoll_fd);
    if (wake_fd >= 0) close(wake_fd);
  }

  // ------------------------------------------------------ curl callbacks ---

  static size_t OnHeader(char* data, size_t size, size_t nmemb, void* userdata) {
    auto* c = static_cast<Chain*>(userdata);
    size_t len = size * nmemb;
    c->header_bytes += static_cast<int64_t>(len);
    if (c->header_bytes > c->impl->options.max_header_bytes) {
      c->abort = Abort::kHeaders;
      return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
    }
    std::string_view raw(data, len);
    while (!raw.empty() && (raw.back() == '\r' || raw.back() == '\n')) raw.remove_suffix(1);
    const bool folded = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    std::string_view line = Trim(raw);
    if (line.substr(0, 5) == "HTTP/" && !folded) {
      // Status line: a new header block (after 1xx ones, each restarts).
      c->headers.clear();
      c->raw_block.assign(data, len);
      c->headers_done = false;
      c->parsed_status = 0;
      size_t sp = line.find(' ');
      if (sp != std::string_view::npos) {
        std::string_view code = line.substr(sp + 1, 3);
        long v = 0;
        for (char ch : code) {
          if (ch < '0' || ch > '9') {
            v = 0;
            break;
          }
          v = v * 10 + (ch - '0');
        }
        c->parsed_status = v;
      }
      c->impl->CaptureTls(c);  // normally done already in OnPrereq
      return len;
    }
    if (!c->headers_done) c->raw_block.append(data, len);
    if (line.empty()) {
      if (c->headers_done) return len;  // end of trailers
      if (c->parsed_status >= 100 && c->parsed_status < 200) return len;  // interim response
      c->headers_done = true;
      c->redirecting = c->request.follow_redirects && IsRedirectStatus(c->parsed_status) &&
                       !c->LastHeader("location").empty();
      return len;
    }
    if (c->headers_done) return len;  // trailers: counted, not recorded
    if (folded && !c->headers.empty()) {
      // obs-fold continuation (RFC 9112 5.2) -> joined with one space.
      c->headers.back().second += " ";
      c->headers.back().second += line;
      return len;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      c->headers.emplace_back("", std::string(line));  // malformed: kept as evidence
    } else {
      c->headers.emplace_back(std::string(line.substr(0, colon)),
                              std::string(Trim(line.substr(colon + 1))));
    }
    return len;
  }

  static size_t OnBody(char* data, size_t size, size_t nmemb, void* userdata) {
    auto* c = static_cast<Chain*>(userdata);
    Impl* impl = c->impl;
    size_t len = size * nmemb;
    impl->stats->bytes_received += len;
    const auto max_body = static_cast<size_t>(std::max<int64_t>(0, impl->options.max_body_bytes));
    if (c->redirecting) {
      // The body of a redirect we follow is not kept; it still may not be endless.
      c->redirect_body_bytes += static_cast<int64_t>(len);
      if (c->redirect_body_bytes > impl->options.max_body_bytes) {
        c->abort = Abort::kRedirectBody;
        return 0;
      }
      return len;
    }
    size_t take = std::min(len, max_body - std::min(max_body, c->raw.size()));
    c->raw.append(data, take);
    if (!c->decoder_made) {
      c->decoder_made = true;
      auto d = BodyDecoder::Create(c->HeaderValues("content-encoding"),
                                   static_cast<size_t>(std::max<int64_t>(0, impl->options.max_decoded_bytes)));
      if (d.ok()) {
        c->decoder = std::move(*d);
      } else {
        c->decode_error = d.status().message();
      }
    }
    if (c->decoder && c->decode_error.empty()) {
      Status st = c->decoder->Feed(std::string_view(data, take), &c->body);
      if (!st.ok()) c->decode_error = st.message();
      if (c->decoder->capped()) {
        c->abort = Abort::kDecoded;
        return 0;
      }
    }
    if (take < len) {
      c->abort = Abort::kBody;
      return 0;
    }
    return len;
  }

  // The SSRF guard: every socket of every hop is checked here, after DNS
  // (and pins) and before connect(), so redirects and rebinding are caught.
  static curl_socket_t OnOpenSocket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
    auto* c = static_cast<Chain*>(clientp);
    if (purpose != CURLSOCKTYPE_IPCXN || address == nullptr) return CURL_SOCKET_BAD;
    Status st = CheckConnect(&address->addr, c->impl->guard);
    if (!st.ok()) {
      if (c->refused.empty()) {
        c->refused = st.message();
        c->refused_ip = SockaddrIp(&address->addr);
        c->refused_port = SockaddrPort(&address->addr);
      }
      return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  }

  // Trust store for recording verification (see fetch_tls.h): the system
  // CAs through OpenSSL's hashed certificate folder, looked up lazily per
  // issuer (loading the whole bundle costs ~90 ms per connection; curl
  // skips it when its own verification is off), plus the tests' CA.
  static CURLcode OnSslCtx(CURL*, void* ssl_ctx, void* userptr) {
    auto* impl = static_cast<Impl*>(userptr);
    auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
    const char* dir = std::getenv(X509_get_default_cert_dir_env());
    SSL_CTX_load_verify_dir(ctx, dir != nullptr && *dir ? dir : X509_get_default_cert_dir());
    if (!impl->test.extra_ca_file.empty()) {
      SSL_CTX_load_verify_locations(ctx, impl->test.extra_ca_file.c_str(), nullptr);
    }
    return CURLE_OK;
  }

  // Called by curl once the connection (new or reused) is ready and before
  // the request is sent: the place to read the TLS facts of this hop, to
  // enforce verify_tls with them (so an unverified server never sees the
  // request, and the certificate is still recorded), and to check the peer
  // address once more (defence in depth behind OnOpenSocket).
  static int OnPrereq(void* clientp, char* primary_ip, char*, int primary_port, int) {
    auto* c = static_cast<Chain*>(clientp);
    Impl* impl = c->impl;
    Status st = CheckConnectIp(primary_ip != nullptr ? primary_ip : "", primary_port, impl->guard);
    if (!st.ok()) {
      c->refused = st.message();
      c->refused_ip = primary_ip != nullptr ? primary_ip : "";
      c->refused_port = primary_port;
      c->abort = Abort::kGuard;
      return CURL_PREREQFUNC_ABORT;
    }
    impl->CaptureTls(c);
    if (impl->options.verify_tls && c->url.scheme == "https" && !c->hop.tls.verified) {
      c->abort = Abort::kTlsUnverified;
      return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
  }

  void CaptureTls(Chain* c) {
    if (c->tls_captured || c->url.scheme != "https") return;
    c->tls_captured = true;
    curl_tlssessioninfo* info = nullptr;
    if (curl_easy_getinfo(c->easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == nullptr ||
        info->backend != CURLSSLBACKEND_OPENSSL || info->internals == nullptr) {
      return;
    }
    c->hop.tls = TlsInfoFromSsl(static_cast<SSL*>(info->internals), c->url.host);
  }

  static int OnSocket(CURL*, curl_socket_t s, int what, void* userp, void*) {
    auto* impl = static_cast<Impl*>(userp);
    if (what == CURL_POLL_REMOVE) {
      epoll_ctl(impl->epoll_fd, EPOLL_CTL_DEL, s, nullptr);
      return 0;
    }
    epoll_event ev{};
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    ev.data.fd = s;
    if (epoll_ctl(impl->epoll_fd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT) {
      epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, s, &ev);
    }
    return 0;
  }

  static int OnTimer(CURLM*, long timeout_ms, void* userp) {
    auto* impl = static_cast<Impl*>(userp);
    impl->timer_deadline_ms = timeout_ms < 0 ? -1 : MonoMs() + timeout_ms;
    return 0;
  }

  // ---------------------------------------------------------- chains ---

  Chain* NewChain(FetchRequest request, Callback done) {
    auto* c = new Chain();
    c->impl = this;
    c->request = std::move(request);
    c->done = std::move(done);
    c->via = c->request.via;
    c->redirects_left =
        c->request.redirect_budget < 0 ? options.max_redirects : c->request.redirect_budget;
    c->seen = c->request.seen;
    c->method = c->request.method;
    for (char& ch : c->method) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    c->result.started_unix_ms = NowMs();
    live.insert(c);
    return c;
  }

  // Sets the options every hop shares; false when curl cannot.
  bool SetupEasy(Chain* c) {
    c->easy = curl_easy_init();
    if (c->easy == nullptr) return false;
    CURL* e = c->easy;
    curl_easy_setopt(e, CURLOPT_PRIVATE, c);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::OnBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Impl::OnOpenSocket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, c);
    // Never through a proxy from the environment: the guard must see the
    // real destination.
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    // We ask for gzip/deflate/br ourselves and decode with our own caps.
    curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    if (c->request.headers.empty()) {
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, request_headers.get());
    } else {
      c->own_headers = MergeHeaders(c->request.headers);
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->own_headers.get());
    }
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");  // cookies live for this chain only
    const int64_t total_ms =
        c->request.total_timeout_ms > 0 ? c->request.total_timeout_ms : options.total_timeout_ms;
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, total_ms)));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, options.connect_timeout_ms)));
    if (options.low_speed_bytes > 0 && options.low_speed_time_ms > 0) {
      curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(options.low_speed_bytes));
      curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                       static_cast<long>(std::max<int64_t>(1, (options.low_speed_time_ms + 999) / 1000)));
    }
    // curl's own verification stays off: OnPrereq records the result and
    // enforces verify_tls itself, so even a refused certificate is evidence.
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, &Impl::OnSslCtx);
    curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, this);
    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, &Impl::OnPrereq);
    curl_easy_setopt(e, CURLOPT_PREREQDATA, c);
    if (wildcard_pins.empty() && shared_resolve) {
      curl_easy_setopt(e, CURLOPT_RESOLVE, shared_resolve.get());
    }
    return true;
  }

  // Per-hop pins when a "*" pin exists: the exact pins plus one for this
  // URL's host, unless an exact pin already covers it.
  void SetHopPins(Chain* c) {
    if (wildcard_pins.empty()) return;
    Slist list;
    for (const Pin& p : exact_pins) list = Append(std::move(list), p.host + ":" + p.port + ":" + p.addrs);
    if (!c->url.host_is_ip) {
      std::string port = std::to_string(c->url.port);
      bool exact = std::any_of(exact_pins.begin(), exact_pins.end(), [&](const Pin& p) {
        return p.host == c->url.host && p.port == port;
      });
      if (!exact) {
        for (const Pin& p : wildcard_pins) {
          if (p.port == port || p.port == "*") {
            list = Append(std::move(list), c->url.host + ":" + port + ":" + p.addrs);
            break;
          }
        }
      }
    }
    c->resolve = std::move(list);
    curl_easy_setopt(c->easy, CURLOPT_RESOLVE, c->resolve.get());
  }

  // A request's own headers over the defaults: a header it names replaces
  // the default of that name ("User-Agent" included); an empty value
  // ("Accept:") removes it, as with curl. A User-Agent given here wins over
  // CURLOPT_USERAGENT (curl uses a caller's header instead of its own).
  Slist MergeHeaders(const std::vector<std::string>& extra) const {
    auto name_of = [](std::string_view h) {
      size_t colon = h.find(':');
      return AsciiLower(std::string(Trim(h.substr(0, colon))));
    };
    std::set<std::string> named;
    for (const std::string& h : extra) named.insert(name_of(h));
    Slist list;
    for (curl_slist* l = request_headers.get(); l != nullptr; l = l->next) {
      if (named.count(name_of(l->data)) == 0) list = Append(std::move(list), l->data);
    }
    for (const std::string& h : extra) {
      if (h.find_first_of("\r\n") != std::string::npos) continue;  // no header injection
      list = Append(std::move(list), h);
    }
    return list;
  }

  // A redirect to another host never carries the caller's credentials
  // (Authorization, Cookie headers), as curl does for its own redirects.
  void StripCredentials(Chain* c) {
    std::vector<std::string> kept;
    for (const std::string& h : c->request.headers) {
      std::string name = AsciiLower(std::string(Trim(std::string_view(h).substr(0, h.find(':')))));
      if (name != "authorization" && name != "cookie" && name != "proxy-authorization") kept.push_back(h);
    }
    c->request.headers = std::move(kept);
    c->own_headers = MergeHeaders(c->request.headers);
    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->own_headers.get());
  }

  // The method and body of the current hop. A 303, or a 301/302 after a
  // POST, continues as GET without a body (as browsers do); 307/308 keep both.
  void SetMethod(Chain* c) {
    CURL* e = c->easy;
    if (c->method.empty() || c->method == "GET") {
      curl_easy_setopt(e, CURLOPT_NOBODY, 0L);
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
      return;
    }
    if (c->method == "HEAD") {
      curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
      return;
    }
    if (c->method == "POST" || c->method == "PUT" || c->method == "PATCH" ||
        !c->request.body.empty()) {
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(c->request.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->request.body.data());
    }
    if (c->method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, c->method.c_str());
  }

  // ------------------------------------------------------- completion ---

  static void AddLimit(FetchResult& r, const std::string& name) {
    if (std::find(r.limits_hit.begin(), r.limits_hit.end(), name) == r.limits_hit.end()) {
      r.limits_hit.push_back(name);
    }
  }

  // Fills c->hop from curl after the transfer ended with `rc`; returns the
  // error kind ("" when the hop got a complete response) and the detail.
  std::pair<std::string, std::string> CloseHop(Chain* c, CURLcode rc) {
    CURL* e = c->easy;
    Hop& hop = c->hop;
    long code = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    hop.status = code != 0 ? code : (c->headers_done ? c->parsed_status : 0);
    char* ip = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) hop.ip = ip;
    long port = 0;
    curl_easy_getinfo(e, CURLINFO_PRIMARY_PORT, &port);
    hop.port = static_cast<int>(port);
    if (!c->refused.empty() && hop.ip.empty()) {
      hop.ip = c->refused_ip;
      hop.port = c->refused_port;
    }
    long version = 0;
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &version);
    switch (version) {
      case CURL_HTTP_VERSION_1_0: hop.http_version = "1.0"; break;
      case CURL_HTTP_VERSION_1_1: hop.http_version = "1.1"; break;
      case CURL_HTTP_VERSION_2_0: hop.http_version = "2"; break;
      case CURL_HTTP_VERSION_3: hop.http_version = "3"; break;
      default: break;
    }
    curl_off_t dns = 0, conn = 0, app = 0, ttfb = 0, total = 0;
    curl_easy_getinfo(e, CURLINFO_NAMELOOKUP_TIME_T, &dns);
    curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &conn);
    curl_easy_getinfo(e, CURLINFO_APPCONNECT_TIME_T, &app);
    curl_easy_getinfo(e, CURLINFO_STARTTRANSFER_TIME_T, &ttfb);
    curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &total);
    auto ms = [](curl_off_t us) { return static_cast<double>(us) / 1000.0; };
    hop.dns_ms = ms(dns);
    hop.connect_ms = conn > dns ? ms(conn - dns) : 0;
    hop.tls_ms = app > conn ? ms(app - conn) : 0;
    hop.ttfb_ms = ms(ttfb);
    hop.total_ms = ms(total);
    // The boundary: header fields become text here; the block stays bytes
    // (evidence keeps it exactly).
    hop.headers.clear();
    hop.headers.reserve(c->headers.size());
    for (const auto& [k, v] : c->headers) hop.headers.emplace_back(ToText(k), ToText(v));
    hop.raw_headers.bytes = c->raw_block;

    std::string curl_msg = ToText(c->errbuf[0] ? std::string(c->errbuf) : curl_easy_strerror(rc));
    FetchResult& r = c->result;
    switch (c->abort) {
      case Abort::kBody:
        AddLimit(r, "max_body_bytes");
        return {"too_large", "response body exceeded max_body_bytes (" +
                                 std::to_string(options.max_body_bytes) + " bytes); kept the first " +
                                 std::to_string(c->raw.size())};
      case Abort::kDecoded:
        AddLimit(r, "max_decoded_bytes");
        return {"too_large", "decoded body exceeded max_decoded_bytes (" +
                                 std::to_string(options.max_decoded_bytes) + " bytes) after " +
                                 std::to_string(c->raw.size()) + " bytes on the wire"};
      case Abort::kHeaders:
        AddLimit(r, "max_header_bytes");
        return {"too_large", "response headers exceeded max_header_bytes (" +
                                 std::to_string(options.max_header_bytes) + " bytes)"};
      case Abort::kRedirectBody:
        return {"", ""};  // the redirect is followed anyway
      case Abort::kTlsUnverified:
        return {"tls", "certificate not verified (verify_tls is on), request not sent: " +
                           c->hop.tls.verify_error};
      case Abort::kGuard:
        return {"refused", c->refused};
      case Abort::kNone:
        break;
    }
    if (!c->refused.empty() && rc != CURLE_OK) {
      return {"refused", c->refused};
    }
    switch (rc) {
      case CURLE_OK:
        return {"", ""};
      case CURLE_OPERATION_TIMEDOUT:
        if (curl_msg.find("too slow") != std::string::npos) {
          AddLimit(r, "low_speed");
          return {"low_speed", "less than " + std::to_string(options.low_speed_bytes) +
                                   " bytes/s for " + std::to_string(options.low_speed_time_ms) +
                                   " ms: " + curl_msg};
        }
        if (c->deadline_cut) {
          AddLimit(r, "site_timeout");
          return {"timeout", "site_timeout reached (the site's deadline cut this hop short): " + curl_msg};
        }
        if (conn == 0 && options.connect_timeout_ms < options.total_timeout_ms) {
          AddLimit(r, "connect_timeout");
          return {"timeout", "connect_timeout (" + std::to_string(options.connect_timeout_ms) +
                                 " ms) reached: " + curl_msg};
        }
        AddLimit(r, "total_timeout");
        return {"timeout", "total_timeout (" + std::to_string(options.total_timeout_ms) +
                               " ms) reached: " + curl_msg};
      case CURLE_COULDNT_RESOLVE_HOST:
        return {"dns", curl_msg};
      case CURLE_RECV_ERROR:
        if (curl_msg.find("Too large response headers") != std::string::npos) {
          // curl's own cap on all headers of a response (300 KiB in 7.88)
          // hit before ours: max_header_bytes above it has no effect.
          AddLimit(r, "max_header_bytes");
          return {"too_large", "response headers exceeded curl's limit: " + curl_msg};
        }
        return {"connect", curl_msg};
      case CURLE_COULDNT_CONNECT:
      case CURLE_SEND_ERROR:
        return {"connect", curl_msg};
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CIPHER:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_ISSUER_ERROR:
      case CURLE_SSL_ENGINE_INITFAILED:
      case CURLE_SSL_CRL_BADFILE:
      case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      case CURLE_SSL_INVALIDCERTSTATUS:
      case CURLE_USE_SSL_FAILED:
        return {"tls", curl_msg};
      case CURLE_OUT_OF_MEMORY:
        if (!c->headers_done) {
          // curl refuses a single header line over CURL_MAX_HTTP_HEADER
          // (100 KiB) this way: a header that never ends.
          AddLimit(r, "max_header_bytes");
          return {"too_large", "a response header line exceeded curl's limit: " + curl_msg};
        }
        return {"protocol", curl_msg};
      default:
        return {"protocol", curl_msg};
    }
  }

  void OnTransferDone(Chain* c, CURLcode rc) {
    curl_multi_remove_handle(multi, c->easy);
    c->in_multi = false;
    --in_flight;
    ReleaseHost(c->url.host);
    dirty = true;  // a slot is free
    auto [kind, detail] = CloseHop(c, rc);
    if (!kind.empty()) {
      c->hop.error_kind = kind;
      c->hop.error = kind + ": " + detail;
    }
    bool follow = c->redirecting && kind.empty();
    // The decoder only matters for a body we keep.
    if (!follow && c->decoder && c->abort != Abort::kDecoded && c->decode_error.empty()) {
      Status st = c->decoder->Finish(&c->body);
      if (!st.ok()) c->decode_error = st.message();
    }
    std::string location = c->LastHeader("location");
    c->result.hops.push_back(c->hop);
    stats->hops++;
    if (!follow) {
      Complete(c, kind, detail);
      return;
    }
    // ---- HTTP redirect ----
    auto next = ResolveUrl(c->url, location);
    if (!next.ok()) {
      bool scheme = next.status().code() == Code::kRefused;
      Hop refused;
      refused.url = CutUrl(location);
      refused.via = "http";
      refused.error_kind = scheme ? "scheme" : "url";
      refused.error = refused.error_kind + ": redirect to '" + CutUrl(location) +
                      "' refused: " + next.status().message();
      c->result.hops.push_back(refused);
      Complete(c, refused.error_kind, refused.error.substr(refused.error_kind.size() + 2), true);
      return;
    }
    if (c->seen.count(next->normalized) != 0) {
      AddLimit(c->result, "redirect_loop");
      Complete(c, "redirect_loop",
               "redirect to " + CutUrl(next->normalized) + " which this chain already visited", true);
      return;
    }
    if (c->redirects_left <= 0) {
      AddLimit(c->result, "max_redirects");
      Complete(c, "too_many_redirects",
               "redirect budget exhausted (max_redirects " + std::to_string(options.max_redirects) +
                   ") before " + CutUrl(next->normalized),
               true);
      return;
    }
    --c->redirects_left;
    c->result.redirects_followed++;
    c->seen.insert(next->normalized);
    c->url = std::move(*next);
    c->via = "http";
    if (c->own_headers && c->url.host != c->first_host) StripCredentials(c);
    const long code = c->hop.status;
    if (code == 303 || ((code == 301 || code == 302) && c->method == "POST")) {
      if (c->method != "HEAD") c->method = "GET";
    }
    // Continues started work: ahead of everything else of its priority.
    pending.emplace_hint(pending.lower_bound(c->request.priority), c->request.priority, c);
    dirty = true;
  }

  // Ends a chain: fills the result from the last hop and calls back.
  // `chain_error`: the error is about the chain (loop, budget, Location),
  // not a failed transfer; the last hop's response is still reported.
  void Complete(Chain* c, const std::string& kind, const std::string& detail,
                bool chain_error = false) {
    FetchResult& r = c->result;
    r.final_url = c->url.normalized;
    if (!c->result.hops.empty()) {
      const Hop& last = chain_error ? c->hop : c->result.hops.back();
      r.status = last.status;
    }
    if (!chain_error) {
      r.content_type = ToText(AsciiLower(c->HeaderValues("content-type")));
      r.content_encoding = ToText(c->HeaderValues("content-encoding"));
      r.raw_body = std::move(c->raw);
      r.body = std::move(c->body);
      r.decode_error = std::move(c->decode_error);
      r.truncated = c->abort == Abort::kBody || c->abort == Abort::kDecoded;
    } else {
      r.content_type = ToText(AsciiLower(c->HeaderValues("content-type")));
    }
    if (!kind.empty()) {
      r.error_kind = kind;
      r.error = kind + ": " + detail;
    }
    Finish(c);
  }

  // Hands the result to the callback and frees the chain.
  void Finish(Chain* c) {
    FetchResult r = std::move(c->result);
    Callback done = std::move(c->done);
    r.finished_unix_ms = NowMs();
    if (r.status > 0) stats->responses++;
    if (!r.error.empty()) stats->errors++;
    if (r.error_kind == "refused") stats->refused++;
    if (r.error_kind == "cancelled") stats->cancelled++;
    if (!r.limits_hit.empty()) stats->limits_hit++;
    if (r.error.empty()) {
      spdlog::debug("fetch: {} -> {} ({} hops, {} bytes)", r.hops.empty() ? r.final_url : r.hops[0].url,
                    r.status, r.hops.size(), r.raw_body.size());
    } else if (r.error_kind == "internal") {
      spdlog::warn("fetch: {} failed inside the fetcher: {}", r.final_url, r.error);
    } else {
      spdlog::debug("fetch: {} ended with {}", r.hops.empty() ? r.final_url : r.hops[0].url, r.error);
    }
    live.erase(c);
    delete c;
    if (done) done(std::move(r));
  }

  void FailEarly(Chain* c, const std::string& kind, const std::string& detail) {
    Hop hop;
    hop.url = CutUrl(c->request.url);
    hop.via = c->via;
    hop.error_kind = kind;
    hop.error = kind + ": " + detail;
    c->result.hops.push_back(std::move(hop));
    c->result.final_url = CutUrl(c->request.url);
    c->result.error_kind = kind;
    c->result.error = kind + ": " + detail;
    Finish(c);
  }

  // -------------------------------------------------------- scheduler ---

  void Enqueue(FetchRequest request, Callback done) {
    stats->requests++;
    Chain* c = NewChain(std::move(request), std::move(done));
    if (!config_error.empty()) {
      early.push_back({c, "config", config_error});
      return;
    }
    auto url = ParseUrl(c->request.url);
    if (!url.ok()) {
      bool scheme = url.status().code() == Code::kRefused;
      early.push_back({c, scheme ? "scheme" : "url", url.status().message()});
      return;
    }
    c->url = std::move(*url);
    c->first_host = c->url.host;
    c->seen.insert(c->url.normalized);
    // The easy handle (and its receive buffer) is made when the chain
    // starts, not here: a crawl may queue thousands of links.
    pending.emplace(c->request.priority, c);
    dirty = true;
  }

  void StartHop(Chain* c) {
    c->ResetHop();
    c->hop.url = c->url.normalized;
    c->hop.via = c->via;
    if (c->request.deadline_mono_ms > 0) {
      const int64_t total_ms =
          c->request.total_timeout_ms > 0 ? c->request.total_timeout_ms : options.total_timeout_ms;
      const int64_t left = c->request.deadline_mono_ms - MonoMs();
      if (left <= 0) {
        ReleaseHost(c->url.host);
        c->hop.error_kind = "timeout";
        c->hop.error = "timeout: site_timeout reached before this request started";
        c->result.hops.push_back(c->hop);
        AddLimit(c->result, "site_timeout");
        Complete(c, "timeout", "site_timeout reached before this request started");
        return;
      }
      if (left < total_ms) {
        c->deadline_cut = true;
        curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
      } else {
        curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, total_ms)));
      }
    }
    curl_easy_setopt(c->easy, CURLOPT_URL, c->url.normalized.c_str());
    SetMethod(c);
    SetHopPins(c);
    CURLMcode mc = curl_multi_add_handle(multi, c->easy);
    if (mc != CURLM_OK) {
      ReleaseHost(c->url.host);
      c->result.hops.push_back(c->hop);
      Complete(c, "internal", std::string("curl_multi_add_handle: ") + curl_multi_strerror(mc));
      return;
    }
    c->in_multi = true;
    ++in_flight;
    stats->peak_in_flight = std::max(stats->peak_in_flight, in_flight);
  }

  void ReleaseHost(const std::string& host) {
    auto it = hosts.find(host);
    if (it == hosts.end()) return;
    if (--it->second.in_flight <= 0 && options.per_host_delay_ms <= 0) hosts.erase(it);
  }

  void StartPending() {
    dirty = false;
    delay_wake_ms = -1;
    int64_t now = MonoMs();
    const int global_cap = std::max(1, options.global_concurrency);
    const int host_cap = std::max(1, options.per_host_concurrency);
    // Walks the FIFO once; requests for a busy host keep their place and do
    // not block other hosts behind them. Bounded by the queue length.
    for (auto it = pending.begin(); it != pending.end() && in_flight < global_cap;) {
      Chain* c = it->second;
      HostState& h = hosts[c->url.host];
      if (h.in_flight < host_cap && now >= h.next_start_ms) {
        it = pending.erase(it);
        if (c->easy == nullptr && !SetupEasy(c)) {
          early.push_back({c, "internal", "curl_easy_init failed"});
          continue;
        }
        h.in_flight++;
        h.next_start_ms = now + std::max<int64_t>(0, options.per_host_delay_ms);
        StartHop(c);
      } else {
        if (h.in_flight < host_cap) {
          delay_wake_ms = delay_wake_ms < 0 ? h.next_start_ms : std::min(delay_wake_ms, h.next_start_ms);
        }
        ++it;
      }
    }
    if (hosts.size() > kMaxIdleHosts) {
      for (auto it = hosts.begin(); it != hosts.end();) {
        if (it->second.in_flight <= 0 && it->second.next_start_ms <= now) {
          it = hosts.erase(it);
        } else {
          ++it;
        }
      }
    }
  }

  void DrainDone() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Chain* c = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &c);
      CURLcode rc = msg->data.result;
      if (c != nullptr) OnTransferDone(c, rc);
    }
  }

  void DeliverEarly() {
    // Callbacks may Add() more: take the batch first.
    std::vector<Early> batch;
    batch.swap(early);
    for (Early& e : batch) FailEarly(e.chain, e.kind, e.detail);
  }

  void CancelAll() {
    std::multimap<uint64_t, Chain*> waiting;
    waiting.swap(pending);
    std::vector<Chain*> running;
    for (Chain* c : live) {
      if (c->in_multi) running.push_back(c);
    }
    for (Chain* c : running) {
      curl_multi_remove_handle(multi, c->easy);
      c->in_multi = false;
      --in_flight;
      ReleaseHost(c->url.host);
      CloseHop(c, CURLE_ABORTED_BY_CALLBACK);
      c->hop.error_kind = "cancelled";
      c->hop.error = "cancelled: Fetcher::Cancel() was called";
      c->result.hops.push_back(c->hop);
      Complete(c, "cancelled", "Fetcher::Cancel() was called");
    }
    for (auto& [priority, c] : waiting) {
      c->result.final_url = c->url.normalized;
      c->result.error_kind = "cancelled";
      c->result.error = "cancelled: Fetcher::Cancel() was called before this request started";
      Finish(c);
    }
    std::vector<Early> batch;
    batch.swap(early);
    for (Early& e : batch) FailEarly(e.chain, e.kind, e.detail);
  }

  // ------------------------------------------------------- event loop ---

  void Run() {
    if (multi == nullptr || epoll_fd < 0 || wake_fd < 0) {
      // Cannot run at all: every request ends as an error, none is lost.
      for (auto& [priority, c] : pending) early.push_back({c, "internal", "curl multi or epoll unavailable"});
      pending.clear();
      DeliverEarly();
      return;
    }
    epoll_event events[kMaxEvents];
    while (!cancel.load()) {
      RunPosted();
      if (!early.empty()) DeliverEarly();
      if (delay_wake_ms >= 0 && MonoMs() >= delay_wake_ms) dirty = true;
      if (dirty) StartPending();
      if (in_flight == 0 && pending.empty() && early.empty() && held == 0) break;
      if (in_flight == 0 && !early.empty()) continue;
      int64_t now = MonoMs();
      int64_t wait = kMaxWaitMs;
      if (timer_deadline_ms >= 0) wait = std::min(wait, std::max<int64_t>(0, timer_deadline_ms - now));
      if (delay_wake_ms >= 0) wait = std::min(wait, std::max<int64_t>(0, delay_wake_ms - now));
      int n = epoll_wait(epoll_fd, events, kMaxEvents, static_cast<int>(wait));
      if (n < 0 && errno != EINTR) break;  // cannot happen with valid fds; ends below as cancelled
      int running = 0;
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == wake_fd) {
          DrainWake();
          continue;
        }
        int flags = 0;
        if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
        curl_multi_socket_action(multi, fd, flags, &running);
      }
      if (timer_deadline_ms >= 0 && MonoMs() >= timer_deadline_ms) {
        timer_deadline_ms = -1;
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
      }
      DrainDone();
    }
    if (!live.empty() || !early.empty() || held > 0) CancelAll();
    // Work handed off the loop comes back; what it adds is cancelled too.
    while (held > 0) {
      if (!HasPosted()) {
        epoll_event ev;
        if (epoll_wait(epoll_fd, &ev, 1, static_cast<int>(kMaxWaitMs)) > 0) DrainWake();
      }
      RunPosted();
      CancelAll();
    }
    cancel.store(false);
  }

  void DrainWake() {
    uint64_t v = 0;
    while (read(wake_fd, &v, sizeof v) > 0) {
    }
  }

  bool HasPosted() {
    std::lock_guard<std::mutex> lock(posted_mu);
    return !posted.empty();
  }

  // Continuations of held work, on the loop thread.
  void RunPosted() {
    std::vector<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> lock(posted_mu);
      if (posted.empty()) return;
      batch.swap(posted);
    }
    for (auto& fn : batch) {
      --held;
      fn();
    }
    dirty = true;
  }

  void Post(std::function<void()> fn) {
    {
      std::lock_guard<std::mutex> lock(posted_mu);
      posted.push_back(std::move(fn));
    }
    uint64_t one = 1;
    ssize_t w = write(wake_fd, &one, sizeof one);
    (void)w;
  }

  struct Early {
    Chain* chain;
    std::string kind, detail;
  };

  CrawlOptions options;
  FetcherTestOptions test;
  FetcherStats* stats;
  GuardOptions guard;
  std::string config_error;
  std::vector<Pin> exact_pins, wildcard_pins;
  Slist shared_resolve;
  Slist request_headers;

  CURLM* multi = nullptr;
  int epoll_fd = -1;
  int wake_fd = -1;
  std::atomic<bool> cancel{false};
  int64_t timer_deadline_ms = -1;
  int64_t delay_wake_ms = -1;
  bool dirty = false;

  std::unordered_set<Chain*> live;          // owns every chain until Finish()
  // Hops waiting for a slot: by request priority, FIFO within one.
  std::multimap<uint64_t, Chain*> pending;
  std::vector<Early> early;                 // refused before any transfer
  std::unordered_map<std::string, HostState> hosts;
  int in_flight = 0;
  int held = 0;                             // Hold()s not yet resumed (loop thread)
  std::mutex posted_mu;
  std::vector<std::function<void()>> posted;  // GUARDED_BY(posted_mu)
};

// ============================================================== Fetcher ===

Fetcher::Fetcher(const CrawlOptions& options, FetcherTestOptions test_options)
    : impl_(std::make_unique<Impl>(options, std::move(test_options), &stats_)) {}

Fetcher::~Fetcher() = default;

void Fetcher::Add(FetchRequest request, Callback done) {
  impl_->Enqueue(std::move(request), std::move(done));
}

void Fetcher::Run() { impl_->Run(); }

void Fetcher::Hold() { impl_->held++; }

void Fetcher::Resume(std::function<void()> fn) { impl_->Post(std::move(fn)); }

void Fetcher::Cancel() {
  impl_->cancel.store(true);
  if (impl_->wake_fd >= 0) {
    uint64_t one = 1;
    ssize_t w = write(impl_->wake_fd, &one, sizeof one);  // async-signal-safe
    (void)w;
  }
}

}  // namespace dragnet::crawler
