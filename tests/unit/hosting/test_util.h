#pragma once
// Helpers shared by the hosting tests: a controllable clock, a bootstrap
// folder pointing every registry at one local server, fixture paths.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "tests/harness/harness.h"

namespace dragnet::hosting::testutil {

class FakeClock final : public Clock {
 public:
  int64_t NowUnixMs() const override { return unix_ms.load(); }
  int64_t MonotonicMs() const override { return mono_ms.load(); }
  void Advance(int64_t ms) {
    unix_ms += ms;
    mono_ms += ms;
  }
  std::atomic<int64_t> unix_ms{1'780'000'000'000};  // 2026-05-28
  std::atomic<int64_t> mono_ms{1'000'000};
};

inline std::string HostingFixture(const std::string& rel) {
  return dragnet::testing::Fixture("hosting/" + rel);
}

// Writes dns.json, ipv4.json, ipv6.json, asn.json into `dir`, sending every
// TLD we test and every address block to `base` (which ends in '/').
inline void WriteBootstrap(const std::string& dir, const std::string& base) {
  using nlohmann::json;
  json dns = {{"version", "1.0"}, {"publication", "2026-01-01T00:00:00Z"},
              {"services", json::array({json::array({json::array({"com", "click", "fr", "no", "test"}),
                                                     json::array({base})})})}};
  json v4 = {{"version", "1.0"}, {"publication", "2026-01-01T00:00:00Z"},
             {"services", json::array({json::array({json::array({"0.0.0.0/0"}), json::array({base})})})}};
  json v6 = {{"version", "1.0"}, {"publication", "2026-01-01T00:00:00Z"},
             {"services", json::array({json::array({json::array({"::/0"}), json::array({base})})})}};
  json asn = {{"version", "1.0"}, {"publication", "2026-01-01T00:00:00Z"},
              {"services", json::array({json::array({json::array({"1-4199999999"}), json::array({base})})})}};
  dragnet::testing::WriteAll(dir + "/dns.json", dns.dump(1));
  dragnet::testing::WriteAll(dir + "/ipv4.json", v4.dump(1));
  dragnet::testing::WriteAll(dir + "/ipv6.json", v6.dump(1));
  dragnet::testing::WriteAll(dir + "/asn.json", asn.dump(1));
}

// Requests in an nginx access log whose request line contains `needle`.
inline int CountRequests(const std::string& log, const std::string& needle) {
  int n = 0;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t nl = log.find('\n', pos);
    std::string line = log.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (line.find(needle) != std::string::npos) ++n;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return n;
}

// nginx writes its access-log line after the response has gone out, so a
// client can return before the line exists. Polls `log()` until at least
// `expected` matching lines are there (or 3 s pass), waits a little more to
// catch any extra request, and returns the final count.
inline int CountEventually(const std::function<std::string()>& log, const std::string& needle, int expected) {
  for (int i = 0; i < 150 && CountRequests(log(), needle) < expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return CountRequests(log(), needle);
}

}  // namespace dragnet::hosting::testutil
