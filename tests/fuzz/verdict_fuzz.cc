// libFuzzer target: arbitrary bytes as an HTML body -> ParsePage -> brand
// findings, lookalikes, the form-field classifier and the shipped rules
// (config/rules.toml, lexicons, brands). Any crash, sanitizer report, leak or
// over-long run is a bug, as is a verdict outside its contract: score outside
// 0..100, a reason without evidence, over its length cap, on several lines,
// or not valid UTF-8 (JSON output must not throw).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "extractors/brands.h"
#include "extractors/indicators.h"
#include "extractors/lookalike.h"
#include "extractors/page.h"
#include "extractors/rules.h"
#include "extractors/verdict.h"

namespace {

struct Tables {
  dragnet::extractors::RuleSet rules;
  dragnet::extractors::BrandCatalog brands;
  bool ok = false;
};

const Tables& Shipped() {
  static const Tables t = [] {
    Tables v;
    auto r = dragnet::extractors::RuleSet::Load(DRAGNET_SOURCE_DIR "/config/rules.toml");
    auto b = dragnet::extractors::BrandCatalog::Load(DRAGNET_SOURCE_DIR "/config/brands.toml");
    if (r.ok() && b.ok()) {
      v.rules = std::move(*r);
      v.brands = std::move(*b);
      v.ok = true;
    }
    return v;
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Tables& t = Shipped();
  if (!t.ok) __builtin_trap();  // the shipped tables must load
  std::string_view html(reinterpret_cast<const char*>(data), size);
  dragnet::extractors::PageLimits limits;
  limits.max_depth = 64;
  limits.max_links = 64;
  limits.max_attrs = 256;
  limits.max_text_bytes = 64 << 10;
  std::vector<dragnet::Page> pages = {
      dragnet::extractors::ParsePage(html, "https://fuzz-paypal-login.example.com/a/b?c=d", limits)};
  dragnet::extractors::ExtractContext ctx;
  ctx.site_url = pages[0].url;
  std::vector<dragnet::Indicator> indicators = dragnet::extractors::ExtractIndicators(pages, ctx);
  dragnet::extractors::VerdictInput in;
  in.site_url = in.final_url = pages[0].url;
  in.pages = &pages;
  in.indicators = &indicators;
  in.domain_age_days = 3;
  in.brands = dragnet::extractors::FindBrands(t.brands, pages, "example.com", {}, {-1});
  in.lookalikes = dragnet::extractors::FindLookalikes(t.brands, "fuzz-paypal-login.example.com");
  dragnet::Verdict v = dragnet::extractors::Score(t.rules, in);
  if (v.score < 0 || v.score > 100) __builtin_trap();
  nlohmann::json j = nlohmann::json::array();
  for (const dragnet::Reason& r : v.reasons) {
    if (r.detail.empty() || r.detail.size() > dragnet::extractors::kMaxReasonDetailBytes + 3) __builtin_trap();
    if (r.detail.find('\n') != std::string::npos) __builtin_trap();
    j.push_back(r.detail);
  }
  try {
    (void)j.dump();
  } catch (const nlohmann::json::exception&) {
    __builtin_trap();  // a reason that is not valid UTF-8
  }
  return 0;
}
