// feed_fuzz: any bytes as a seed feed -> ReadFeed in every format
// (core/feed_format.h), then each entry through RefangSeed and ParseUrl.
// Feeds are downloaded from third parties: reading one must end in bounded
// time and memory, whatever it holds. The first byte picks the format.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/feed_format.h"
#include "core/refang.h"
#include "core/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* kFormats[] = {"plain", "openphish", "urlhaus_csv", "phishtank_json", "csv:url", "csv:2"};
  auto format = dragnet::ParseFeedFormat(kFormats[data[0] % 6]);
  if (!format.ok()) std::abort();
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<dragnet::FeedEntry> entries;
  (void)dragnet::ReadFeed(bytes, *format, entries);
  if (entries.size() > bytes.size() + 1) std::abort();  // every entry costs at least a byte
  for (const auto& e : entries) {
    std::string url = dragnet::RefangSeed(e.text);
    if (url.size() > e.text.size() + 16) std::abort();  // refanging never grows much
    (void)dragnet::ParseUrl(url);
  }
  return 0;
}
