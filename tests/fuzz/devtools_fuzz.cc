// devtools_fuzz: bytes as Chromium's DevTools pipe might send them, cut
// into reads at fuzzer-chosen points -> NulFramer -> JSON parse, as the
// capture reads them. Invariants: no message holds a NUL or passes the cap.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crawler/browser/framing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t cap = 4096;
  dragnet::crawler::browser::NulFramer framer(cap);
  std::vector<std::string> out;
  // The first byte picks the read size, as a socket would cut the stream.
  size_t chunk = 1 + data[0] % 64;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  while (!rest.empty()) {
    size_t n = std::min(chunk, rest.size());
    if (!framer.Append(rest.substr(0, n), out)) break;
    rest.remove_prefix(n);
  }
  for (const auto& m : out) {
    if (m.find('\0') != std::string::npos || m.size() > cap + 64) std::abort();
    auto j = nlohmann::json::parse(m, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("id") && j["id"].is_number_integer()) {
      (void)j["id"].get<int64_t>();
    }
  }
  return 0;
}
