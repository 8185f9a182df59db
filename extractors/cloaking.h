#pragma once
// DetectCloaking: does the site show different things to different
// visitors? Compares what each view saw — the static crawl's landing page
// and each browser profile's rendered page — by visible-text similarity,
// title, credential/card forms and the registrable domain they ended on,
// and by how suspicious each view alone looked (its verdict score). A site
// cloaks when two views differ materially AND one of them looked markedly
// worse: a kit that shows a garden blog to the crawler and a card form to
// phones. Views that differ but look alike (a news page that changed
// between fetches) are not cloaking.
//
// Pure function of its arguments; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace dragnet::extractors {

struct CloakingView {
  std::string name;            // "static", or a profile: desktop, mobile, ...
  std::string user_agent;
  std::string final_url;
  const Page* page = nullptr;  // null: the view saw nothing (error)
  int score = 0;               // verdict score of this view's page alone
};

struct CloakingOptions {
  // Below this Jaccard similarity of the visible words, two pages differ.
  double min_similarity = 0.5;
  // Views whose scores differ by at least this much saw different risk.
  int min_score_gap = 25;
};

// Words of visible text are compared, at most this many distinct words per
// page (the cost is linear in them; kits are short).
inline constexpr size_t kMaxSimilarityWords = 20'000;

Cloaking DetectCloaking(const std::vector<CloakingView>& views, const CloakingOptions& o = {});

// Jaccard similarity of the sets of lowercase words (letters and digits,
// UTF-8 bytes >= 0x80 count as letters) of two texts; 1 when both are empty.
double TextSimilarity(std::string_view a, std::string_view b);

}  // namespace dragnet::extractors
