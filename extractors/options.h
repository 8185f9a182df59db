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
  // Well-known platforms (config/platforms.toml); empty: the built-in copy.
  std::string platforms_file;
  int64_t max_text_bytes = 2 << 20;    // text, attributes, script strings and decoded text scanned per page
  // The de-obfuscation layer's limits per page (extractors/deobfuscate/budget.h):
  int max_decode_depth = 4;               // decodings stacked on one buffer (atob(atob(..)) is 2)
  int64_t max_decoded_bytes = 1 << 20;    // bytes all decoders produce together
  int64_t max_decoded_string_bytes = 256 << 10;  // longest string folded or decoded in one piece
  int64_t decode_time_budget_ms = 50;     // wall time spent decoding (0: no limit)
  int max_html_fragments = 64;            // document.write/innerHTML/template HTML parsed again
  // Indicator families switched off by name (email, phone, crypto, iban,
  // card, telegram, whatsapp, analytics, url, ip). Default: none.
  std::vector<std::string> disabled;
};

// Reads [extract] of `root` (may be null) over the defaults in `out`.
// An unknown family name in `disabled` is an error naming it.
Status ParseExtractOptions(const toml::table* root, ExtractOptions& out);

}  // namespace dragnet::extractors
