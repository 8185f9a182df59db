#include "extractors/hosting/dns.h"

#include <ares.h>
#include <arpa/inet.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "extractors/hosting/ip.h"

namespace dragnet::hosting {
namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void InitAresOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

// ----------------------------------------------------------- message parser

class Reader {
 public:
  Reader(const uint8_t* m, size_t n) : m_(m), n_(n) {}
  bool U16(size_t& pos, uint16_t& out) const {
    if (pos + 2 > n_) return false;
    out = static_cast<uint16_t>((m_[pos] << 8) | m_[pos + 1]);
    pos += 2;
    return true;
  }
  bool U32(size_t& pos, uint32_t& out) const {
    if (pos + 4 > n_) return false;
    out = (uint32_t{m_[pos]} << 24) | (uint32_t{m_[pos + 1]} << 16) | (uint32_t{m_[pos + 2]} << 8) |
          m_[pos + 3];
    pos += 4;
    return true;
  }
  // Reads a possibly compressed name at `pos`; advances `pos` past it in the
  // record (not past the pointer targets).
  bool Name(size_t& pos, std::string& out) const {
    out.clear();
    size_t p = pos;
    bool jumped = false;
    int jumps = 0;
    while (true) {
      if (p >= n_) return false;
      uint8_t len = m_[p];
      if ((len & 0xC0) == 0xC0) {
        if (p + 1 >= n_) return false;
        if (++jumps > kMaxDnsPointerJumps) return false;
        size_t target = (static_cast<size_t>(len & 0x3F) << 8) | m_[p + 1];
        if (!jumped) pos = p + 2;
        jumped = true;
        p = target;
        continue;
      }
      if ((len & 0xC0) != 0) return false;  // extended label types: refuse
      if (len == 0) {
        if (!jumped) pos = p + 1;
        return true;
      }
      if (p + 1 + len > n_) return false;
      if (!out.empty()) out += '.';
      for (size_t i = 0; i < len; ++i) {
        char c = static_cast<char>(m_[p + 1 + i]);
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        out += c;
      }
      if (out.size() > 255) return false;
      p += 1 + len;
    }
  }
  const uint8_t* data() const { return m_; }

 private:
  const uint8_t* m_;
  size_t n_;
};

std::string StatusName(int st) {
  switch (st) {
    case ARES_SUCCESS: return "ok";
    case ARES_ENODATA: return "nodata";
    case ARES_ENOTFOUND: return "nxdomain";
    case ARES_ESERVFAIL: return "servfail";
    case ARES_EREFUSED: return "refused";
    case ARES_ETIMEOUT: return "timeout";
    case ARES_ECANCELLED: return "timeout";
    default: return "error";
  }
}

struct Pending {
  DnsAnswer* answer;
  bool done = false;
};

void OnAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* p = static_cast<Pending*>(arg);
  p->done = true;
  DnsAnswer& a = *p->answer;
  if (status == ARES_SUCCESS && abuf && alen > 0) {
    auto recs = ParseDnsAnswers(abuf, static_cast<size_t>(alen));
    if (!recs.ok()) {
      a.status = "error";
      a.detail = recs.status().message();
      return;
    }
    a.records = std::move(recs).value();
    bool any = std::any_of(a.records.begin(), a.records.end(), [&](const DnsRecord& r) {
      return r.type == static_cast<uint16_t>(a.qtype);
    });
    a.status = any ? "ok" : "nodata";
    if (!any) a.detail = "no " + std::string(RrTypeName(a.qtype)) + " record";
    return;
  }
  a.status = StatusName(status);
  a.detail = ares_strerror(status);
}

}  // namespace

const char* RrTypeName(RrType t) {
  switch (t) {
    case RrType::kA: return "a";
    case RrType::kNs: return "ns";
    case RrType::kCname: return "cname";
    case RrType::kMx: return "mx";
    case RrType::kTxt: return "txt";
    case RrType::kAaaa: return "aaaa";
  }
  return "?";
}

Result<std::vector<DnsRecord>> ParseDnsAnswers(const uint8_t* msg, size_t len) {
  Reader r(msg, len);
  size_t pos = 0;
  uint16_t id, flags, qd, an, ns, ar;
  if (!r.U16(pos, id) || !r.U16(pos, flags) || !r.U16(pos, qd) || !r.U16(pos, an) ||
      !r.U16(pos, ns) || !r.U16(pos, ar)) {
    return ParseError("DNS reply shorter than its header");
  }
  std::string name;
  for (int i = 0; i < qd; ++i) {
    uint16_t t, c;
    if (!r.Name(pos, name) || !r.U16(pos, t) || !r.U16(pos, c)) {
      return ParseError("DNS reply: bad question section");
    }
  }
  std::vector<DnsRecord> out;
  for (int i = 0; i < an; ++i) {
    DnsRecord rec;
    uint16_t cls, rdlen;
    if (!r.Name(pos, rec.name) || !r.U16(pos, rec.type) || !r.U16(pos, cls) ||
        !r.U32(pos, rec.ttl) || !r.U16(pos, rdlen) || pos + rdlen > len) {
      return ParseError("DNS reply: bad answer record");
    }
    size_t rd = pos, end = pos + rdlen;
    pos = end;
    switch (static_cast<RrType>(rec.type)) {
      case RrType::kA:
        if (rdlen != 4) return ParseError("DNS reply: A record of wrong length");
        {
          IpAddr ip;
          ip.family = 4;
          std::copy(msg + rd, msg + rd + 4, ip.bytes.begin());
          rec.value = FormatIp(ip);
        }
        break;
      case RrType::kAaaa:
        if (rdlen != 16) return ParseError("DNS reply: AAAA record of wrong length");
        {
          IpAddr ip;
          ip.family = 6;
          std::copy(msg + rd, msg + rd + 16, ip.bytes.begin());
          rec.value = FormatIp(ip);
        }
        break;
      case RrType::kCname:
      case RrType::kNs:
        if (!r.Name(rd, rec.value) || rd > end) return ParseError("DNS reply: bad name in rdata");
        break;
      case RrType::kMx: {
        uint16_t pref;
        if (!r.U16(rd, pref) || !r.Name(rd, rec.value) || rd > end) {
          return ParseError("DNS reply: bad MX record");
        }
        rec.preference = pref;
        break;
      }
      case RrType::kTxt:
        // Character-strings of one TXT record are concatenated (RFC 7208 3.3).
        while (rd < end) {
          size_t l = msg[rd];
          if (rd + 1 + l > end) return ParseError("DNS reply: bad TXT record");
          rec.value.append(reinterpret_cast<const char*>(msg + rd + 1), l);
          rd += 1 + l;
        }
        break;
      default:
        continue;  // types we do not use (RRSIG, SOA in answers, ...)
    }
    if (out.size() >= kMaxDnsRecords) break;
    out.push_back(std::move(rec));
  }
  return out;
}

Resolver::Resolver(ResolverOptions options) : options_(std::move(options)) {}

Status Resolver::Init() {
  InitAresOnce();
  servers_csv_.clear();
  for (const auto& s : options_.servers) {
    // Accept "ip", "ip:port", "[v6]", "[v6]:port"; a bare IPv6 has no port.
    std::string host = s, port;
    if (!s.empty() && s[0] == '[') {
      auto close = s.find(']');
      if (close == std::string::npos) return InvalidArgument("dns server '" + s + "' is not ip[:port]");
      host = s.substr(1, close - 1);
      if (close + 1 < s.size()) {
        if (s[close + 1] != ':') return InvalidArgument("dns server '" + s + "' is not ip[:port]");
        port = s.substr(close + 2);
      }
    } else if (std::count(s.begin(), s.end(), ':') == 1) {
      host = s.substr(0, s.find(':'));
      port = s.substr(s.find(':') + 1);
    }
    auto ip = ParseIp(host);
    if (!ip.ok()) return InvalidArgument("dns server '" + s + "' is not ip[:port]");
    if (!port.empty()) {
      if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(port) == 0 || std::stoi(port) > 65535) {
        return InvalidArgument("dns server '" + s + "' has a bad port");
      }
    }
    if (!servers_csv_.empty()) servers_csv_ += ',';
    std::string h = ip->family == 6 ? "[" + FormatIp(*ip) + "]" : FormatIp(*ip);
    servers_csv_ += port.empty() ? h : h + ":" + port;
  }
  return Status::Ok();
}

std::vector<DnsAnswer> Resolver::Query(const std::vector<DnsQuestion>& questions) const {
  InitAresOnce();
  std::vector<DnsAnswer> answers(questions.size());
  for (size_t i = 0; i < questions.size(); ++i) {
    answers[i].qname = questions[i].name;
    answers[i].qtype = questions[i].type;
    answers[i].status = "timeout";
    answers[i].detail = "no answer within the timeout";
  }
  if (questions.empty()) return answers;

  ares_channel channel = nullptr;
  ares_options opts{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  // Two tries per server, each half of the budget.
  opts.timeout = static_cast<int>(std::max<int64_t>(options_.timeout_ms / 2, 100));
  opts.tries = 2;
  int st = ares_init_options(&channel, &opts, mask);
  if (st != ARES_SUCCESS) {
    for (auto& a : answers) {
      a.status = "error";
      a.detail = std::string("resolver init: ") + ares_strerror(st);
    }
    return answers;
  }
  if (!servers_csv_.empty()) {
    st = ares_set_servers_ports_csv(channel, servers_csv_.c_str());
    if (st != ARES_SUCCESS) {
      ares_destroy(channel);
      for (auto& a : answers) {
        a.status = "error";
        a.detail = std::string("resolver servers: ") + ares_strerror(st);
      }
      return answers;
    }
  }
  std::vector<Pending> pending(questions.size());
  for (size_t i = 0; i < questions.size(); ++i) {
    pending[i].answer = &answers[i];
    ares_query(channel, questions[i].name.c_str(), 1 /* C_IN */,
               static_cast<int>(questions[i].type), OnAnswer, &pending[i]);
  }
  int64_t deadline = NowMs() + options_.timeout_ms;
  // Bounded by the deadline: every iteration waits at most until it.
  while (std::any_of(pending.begin(), pending.end(), [](const Pending& p) { return !p.done; })) {
    int64_t left = deadline - NowMs();
    if (left <= 0) break;
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    pollfd fds[ARES_GETSOCK_MAXNUM];
    int n = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short ev = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) ev |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) ev |= POLLOUT;
      if (ev) fds[n++] = {socks[i], ev, 0};
    }
    timeval tv_max{static_cast<time_t>(left / 1000), static_cast<suseconds_t>((left % 1000) * 1000)};
    timeval tv{};
    timeval* tvp = ares_timeout(channel, &tv_max, &tv);
    int wait_ms = static_cast<int>(tvp->tv_sec * 1000 + tvp->tv_usec / 1000);
    if (wait_ms <= 0) wait_ms = 1;
    int rc = ::poll(fds, static_cast<nfds_t>(n), wait_ms);
    if (rc <= 0) {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
      continue;
    }
    for (int i = 0; i < n; ++i) {
      ares_socket_t r = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
      ares_socket_t w = (fds[i].revents & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
      if (r != ARES_SOCKET_BAD || w != ARES_SOCKET_BAD) ares_process_fd(channel, r, w);
    }
  }
  // Unanswered queries end as "timeout" (their callbacks run with ECANCELLED).
  ares_cancel(channel);
  ares_destroy(channel);
  for (auto& a : answers) {
    if (a.status == "timeout") a.detail = "no answer within " + std::to_string(options_.timeout_ms) + " ms";
  }
  return answers;
}

HostDns ResolveHost(const Resolver& r, const std::string& host, const std::string& zone) {
  HostDns out;
  out.host = host;
  std::vector<DnsQuestion> qs = {{host, RrType::kA}, {host, RrType::kAaaa}, {host, RrType::kMx}};
  if (!zone.empty()) qs.push_back({zone, RrType::kNs});
  auto answers = r.Query(qs);
  nlohmann::json j = {{"a", nlohmann::json::array()},     {"aaaa", nlohmann::json::array()},
                      {"cname", nlohmann::json::array()}, {"ns", nlohmann::json::array()},
                      {"mx", nlohmann::json::array()},    {"status", nlohmann::json::object()}};
  if (!zone.empty()) j["ns_zone"] = zone;
  std::vector<std::string> seen_cname;
  for (const auto& a : answers) {
    j["status"][RrTypeName(a.qtype)] = a.status;
    for (const auto& rec : a.records) {
      auto t = static_cast<RrType>(rec.type);
      if (t == RrType::kCname) {
        // The chain appears in the A, AAAA and MX answers alike; keep it once.
        std::string key = rec.name + ">" + rec.value;
        if (std::find(seen_cname.begin(), seen_cname.end(), key) != seen_cname.end()) continue;
        seen_cname.push_back(key);
        j["cname"].push_back({{"name", rec.name}, {"target", rec.value}, {"ttl", rec.ttl}});
      } else if (t != a.qtype) {
        continue;
      } else if (t == RrType::kA || t == RrType::kAaaa) {
        j[RrTypeName(t)].push_back({{"ip", rec.value}, {"ttl", rec.ttl}});
        if (std::find(out.addresses.begin(), out.addresses.end(), rec.value) == out.addresses.end()) {
          out.addresses.push_back(rec.value);
        }
      } else if (t == RrType::kNs) {
        j["ns"].push_back({{"host", rec.value}, {"ttl", rec.ttl}});
      } else if (t == RrType::kMx) {
        j["mx"].push_back({{"host", rec.value}, {"preference", rec.preference}, {"ttl", rec.ttl}});
      }
    }
  }
  // The A answer speaks for the name: nxdomain/servfail/timeout there is the
  // host's failure. No A but some AAAA is fine.
  const DnsAnswer& a = answers[0];
  const DnsAnswer& aaaa = answers[1];
  if (a.status != "ok" && a.status != "nodata") {
    out.error = a.status + ": " + a.detail;
  } else if (a.status == "nodata" && aaaa.status != "ok") {
    out.error = "nodata: " + host + " has no A or AAAA record";
  }
  j["error"] = out.error;
  out.json = std::move(j);
  return out;
}

}  // namespace dragnet::hosting
