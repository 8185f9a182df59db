#include "extractors/options.h"

#include <algorithm>

#include "core/config_section.h"
#include "extractors/indicators.h"

namespace dragnet::extractors {

Status ParseExtractOptions(const toml::table* root, ExtractOptions& o) {
  ConfigSection s(root, "extract");
  DRAGNET_RETURN_IF_ERROR(s.Get("brands_file", o.brands_file));
  DRAGNET_RETURN_IF_ERROR(s.Get("rules_file", o.rules_file));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_text_bytes", o.max_text_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_decode_depth", o.max_decode_depth));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_decoded_bytes", o.max_decoded_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("disabled", o.disabled));
  const std::vector<std::string> known = IndicatorFamilies();
  for (const std::string& name : o.disabled) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return InvalidArgument("extract.disabled: unknown indicator family '" + name + "'");
    }
  }
  if (o.max_decode_depth < 0 || o.max_decode_depth > 4) {
    return InvalidArgument("extract.max_decode_depth: must be between 0 and 4");
  }
  return s.Finish();
}

}  // namespace dragnet::extractors
