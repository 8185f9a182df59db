// libFuzzer target: arbitrary bytes as an HTML body -> ParsePage ->
// ExtractIndicators (every family, base64 decoding two levels deep). Any
// crash, sanitizer report, leak or over-long run is a bug; the page limits
// are lowered so the caps themselves get exercised.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extractors/indicators.h"
#include "extractors/page.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view html(reinterpret_cast<const char*>(data), size);
  dragnet::extractors::PageLimits limits;
  limits.max_depth = 64;
  limits.max_links = 64;
  limits.max_attrs = 256;
  limits.max_attr_value_bytes = 4096;
  limits.max_text_bytes = 64 << 10;
  dragnet::Page page = dragnet::extractors::ParsePage(html, "https://fuzz.example.com/a/b?c=d", limits);
  dragnet::extractors::ExtractContext ctx;
  ctx.site_url = page.url;
  ctx.region_hint = "SE";
  dragnet::extractors::ExtractOptions opts;
  opts.max_decode_depth = 2;
  opts.max_decoded_bytes = 16 << 10;
  auto indicators = dragnet::extractors::ExtractIndicators({page}, ctx, opts);
  for (const auto& i : indicators) {
    if (i.type.empty() || i.value.empty() || i.count < 1 || i.pages.empty()) __builtin_trap();
  }
  return 0;
}
