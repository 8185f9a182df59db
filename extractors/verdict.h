#pragma once
// Score: the explainable verdict on one site.
//
// Input is everything earlier stages found (pages, indicators, hosting,
// brand and lookalike findings); output is core/model.h's Verdict: a score
// 0..100, a label, the X-ARF scam type, the page language, the impersonated
// brand and one Reason per rule that fired, whose detail quotes the evidence
// (matched words and page URL, form action, indicator value).
//
//   score       sum of the weights of the rules that fired, clamped to 0..100
//   label       unreachable when !reachable; else malicious / suspicious /
//               benign by the thresholds in [labels]
//   scam_type   the type named by the fired rules with the largest total
//               weight (ties: the first rule's); default_scam_type when the
//               label is not benign and no rule named one; empty when benign
//   brand_impersonated  the brand whose findings add up to the most strength
//               (config [brand]), when it reaches min_strength
//   reasons     one per fired rule: its `says` sentence, then the evidence
//               (the words matched and where they were shown, the form and
//               where it posts, the script, the domain's age), one line
//
// What the forms ask for comes from extractors/signals/fields.h.
//
// Score is a pure function of its arguments and reads the RuleSet only;
// thread-safe. The pointers in VerdictInput are borrowed for the call.

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "extractors/brands.h"
#include "extractors/lookalike.h"
#include "extractors/rules.h"

namespace dragnet::extractors {

struct VerdictInput {
  std::string site_url;                          // the seed
  std::string final_url;                         // after redirects
  const std::vector<Page>* pages = nullptr;      // nullable: no pages
  const std::vector<Indicator>* indicators = nullptr;  // nullable: none
  const Hosting* hosting = nullptr;              // nullable: locate skipped
  std::optional<long> domain_age_days;           // falls back to hosting->domain.age_days
  bool reachable = true;
  std::vector<BrandFinding> brands;
  std::vector<LookalikeFinding> lookalikes;
  const TlsInfo* tls = nullptr;                  // nullable: TLS facts of the final hop
  // Why the site's content was hidden from us, empty when it was not: a body
  // that failed to decode, an unknown Content-Encoding, a truncated body.
  // Such a page is suspicious, not benign (rules of kind `concealed`).
  std::string concealed;
  // The catalogue brand whose registered domain the site is on (brands.h
  // OwnSiteBrand), empty when none: rules of kind `own_site`.
  std::string own_site_brand;
  const Cloaking* cloaking = nullptr;            // nullable: browser stage off
};

// Longest Reason.detail: evidence is quoted, not copied (a page can be MBs).
inline constexpr size_t kMaxReasonDetailBytes = 600;
// Most bytes of inline script / attribute values one page contributes to the
// `script` condition's pattern scan (RE2 is linear, this bounds the total).
inline constexpr size_t kMaxScriptScanBytes = 2 << 20;

Verdict Score(const RuleSet& rules, const VerdictInput& input);

// Strength of each brand in `input` (findings + lookalikes) under `scoring`,
// strongest first (ties: a brand the domain imitates first, then first
// seen); exposed for tests and for the report text.
std::vector<std::pair<std::string, int>> BrandStrengths(const BrandScoring& scoring,
                                                        const VerdictInput& input);

}  // namespace dragnet::extractors
