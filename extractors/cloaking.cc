#include "extractors/cloaking.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "core/strings.h"
#include "core/url.h"

namespace dragnet::extractors {
namespace {

std::unordered_set<std::string> Words(std::string_view text) {
  std::unordered_set<std::string> out;
  std::string w;
  auto flush = [&] {
    if (w.size() >= 2 && out.size() < kMaxSimilarityWords) out.insert(w);
    w.clear();
  };
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      w.push_back(ch);
    } else if (c >= 'A' && c <= 'Z') {
      w.push_back(static_cast<char>(c + 32));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::string Domain(const std::string& url) {
  auto u = ParseUrl(url);
  return u.ok() ? u->RegistrableDomain() : std::string();
}

std::string FormKinds(const Page& p) {
  bool pw = false, card = false;
  for (const auto& f : p.forms) {
    pw = pw || f.has_password;
    card = card || f.has_card;
  }
  if (pw && card) return "a password and a card form";
  if (pw) return "a password form";
  if (card) return "a card form";
  return "";
}

std::string Quote(const std::string& s) {
  std::string t = s.size() > 80 ? s.substr(0, 77) + "..." : s;
  return "'" + t + "'";
}

}  // namespace

double TextSimilarity(std::string_view a, std::string_view b) {
  auto wa = Words(a);
  auto wb = Words(b);
  if (wa.empty() && wb.empty()) return 1.0;
  size_t common = 0;
  for (const auto& w : wa) common += wb.count(w);
  size_t uni = wa.size() + wb.size() - common;
  return uni == 0 ? 1.0 : static_cast<double>(common) / static_cast<double>(uni);
}

Cloaking DetectCloaking(const std::vector<CloakingView>& views, const CloakingOptions& o) {
  Cloaking c;
  std::vector<const CloakingView*> seen;
  for (const auto& v : views) {
    if (v.page) seen.push_back(&v);
  }
  if (seen.size() < 2) return c;
  const CloakingView* worst = seen.front();
  const CloakingView* best = seen.front();
  for (const auto* v : seen) {
    if (v->score > worst->score) worst = v;
    if (v->score < best->score) best = v;
  }
  if (worst->score - best->score < o.min_score_gap) return c;
  // What differs between the view that looked worst and the one that
  // looked most innocent.
  std::vector<std::string> diffs;
  double sim = TextSimilarity(worst->page->text, best->page->text);
  if (sim < o.min_similarity) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "text similarity %.2f", sim);
    diffs.push_back(buf);
  }
  if (AsciiLower(worst->page->title) != AsciiLower(best->page->title)) {
    diffs.push_back("title " + Quote(worst->page->title) + " vs " + Quote(best->page->title));
  }
  std::string fw = FormKinds(*worst->page), fb = FormKinds(*best->page);
  if (fw != fb) diffs.push_back((fw.empty() ? "no credential form" : fw) + " vs " + (fb.empty() ? "none" : fb));
  std::string dw = Domain(worst->final_url), db = Domain(best->final_url);
  if (dw != db) diffs.push_back("ended on " + dw + " vs " + db);
  // A title alone is not material (kits and real sites retitle pages).
  bool material = sim < o.min_similarity || fw != fb || dw != db;
  if (!material) return c;
  c.detected = true;
  std::vector<std::string> innocent;
  for (const auto* v : seen) {
    if (worst->score - v->score >= o.min_score_gap) {
      innocent.push_back(v->name);
    } else {
      c.profiles.push_back(v->name);
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? (i + 1 == v.size() ? " and " : ", ") : "") + v[i];
    return s;
  };
  std::string how;
  for (const auto* v : seen) {
    if (std::find(c.profiles.begin(), c.profiles.end(), v->name) == c.profiles.end()) continue;
    how = v->name == "static" ? "a plain HTTP client, User-Agent '" + v->user_agent + "'"
                              : "a browser with the " + v->name + " profile, User-Agent '" + v->user_agent + "'";
    break;
  }
  c.detail = "the " + join(c.profiles) + " view" + (c.profiles.size() > 1 ? "s" : "") + " saw " +
             Quote(worst->page->title) + " (score " + std::to_string(worst->score) + "); the " + join(innocent) +
             " view" + (innocent.size() > 1 ? "s" : "") + " saw " + Quote(best->page->title) + " (score " +
             std::to_string(best->score) + "): ";
  for (size_t i = 0; i < diffs.size(); ++i) c.detail += (i ? "; " : "") + diffs[i];
  c.detail += ". Visible with " + how + ".";
  return c;
}

}  // namespace dragnet::extractors
