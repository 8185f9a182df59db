#include "extractors/options.h"

#include "core/config_section.h"

namespace dragnet::extractors {

Status ParseExtractOptions(const toml::table* root, ExtractOptions& o) {
  ConfigSection s(root, "extract");
  DRAGNET_RETURN_IF_ERROR(s.Get("brands_file", o.brands_file));
  DRAGNET_RETURN_IF_ERROR(s.Get("rules_file", o.rules_file));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_text_bytes", o.max_text_bytes));
  DRAGNET_RETURN_IF_ERROR(s.Get("max_decode_depth", o.max_decode_depth));
  DRAGNET_RETURN_IF_ERROR(s.GetBytes("max_decoded_bytes", o.max_decoded_bytes));
  return s.Finish();
}

}  // namespace dragnet::extractors
