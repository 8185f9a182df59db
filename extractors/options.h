#pragma once
// ExtractOptions: where the extractors and the verdict find their tables,
// and the caps on how much of a page they read. [extract] in the config.
// Owner of the keys: extractors/. Plain value type.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::extractors {

struct ExtractOptions {
  std::string brands_file;        // default: <data_dir>/brands.toml
  std::string rules_file;         // default: <data_dir>/rules.toml
  int64_t max_text_bytes = 2 << 20;    // visible text + script text scanned per page
  int max_decode_depth = 1;            // base64/atob literals decoded and rescanned this many times
  int64_t max_decoded_bytes = 256 << 10;  // total bytes produced by such decoding per page
  // Indicator families switched off by name (email, phone, crypto, iban,
  // card, telegram, whatsapp, analytics, url, ip). Default: none.
  std::vector<std::string> disabled;
};

// Reads [extract] of `root` (may be null) over the defaults in `out`.
// An unknown family name in `disabled` is an error naming it.
Status ParseExtractOptions(const toml::table* root, ExtractOptions& out);

}  // namespace dragnet::extractors
