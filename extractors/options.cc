#include "extractors/options.h"

#include <algorithm>

#include "core/config_section.h"
#include "extractors/indicators.h"

namespace dragnet::extractors {

Status ParseExtractOptions(const toml::table* root, ExtractOptions& o) {
  ConfigSection s(root, "extract");
  DRAGNET_RETURN_IF_ERROR(s.Get("brands_file", o.brands_file));
  DRAGNET_RETURN_IF_ERROR(s.Get("rules_file", o.rules_file));
  DRAGNET_RETURN_IF_ERROR(s.Get("platforms_file", o.platforms_file));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_text_bytes", o.max_text_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_decode_depth", o.max_decode_depth));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_decoded_bytes", o.max_decoded_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_decoded_string_bytes", o.max_decoded_string_bytes));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("decode_time_budget", o.decode_time_budget_ms));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_html_fragments", o.max_html_fragments));
  DRAGNET_RETURN_IF_ERROR(s.Get("disabled", o.disabled));
  const std::vector<std::string> known = IndicatorFamilies();
  for (const std::string& name : o.disabled) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return InvalidArgument("extract.disabled: unknown indicator family '" + name + "'");
    }
  }
  if (o.max_decode_depth < 0 || o.max_decode_depth > 16) {
    return InvalidArgument("extract.max_decode_depth: must be between 0 and 16");
  }
  if (o.max_decoded_bytes < 0 || o.max_decoded_string_bytes < 0 || o.decode_time_budget_ms < 0) {
    return InvalidArgument("extract: decode limits must not be negative");
  }
  if (o.max_decoded_string_bytes > (64 << 20) || o.max_decoded_bytes > (256 << 20)) {
    return InvalidArgument("extract: max_decoded_bytes must be <= 256MiB, max_decoded_string_bytes <= 64MiB");
  }
  if (o.max_html_fragments < 0 || o.max_html_fragments > 4096) {
    return InvalidArgument("extract.max_html_fragments: must be between 0 and 4096");
  }
  return s.Finish();
}

}  // namespace dragnet::extractors
