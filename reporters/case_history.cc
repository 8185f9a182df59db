#include "reporters/case_history.h"

#include "core/model_json.h"
#include "core/text.h"

namespace dragnet::reporters {

const std::vector<std::string>& CaseStatuses() {
  static const std::vector<std::string> kAll = {kCaseNew,     kCaseReview,   kCaseReported, kCaseEscalated,
                                                kCaseDown,    kCaseUnresolved, kCaseBenign, kCaseRejected};
  return kAll;
}

bool IsCredible(const SeedResult& r) {
  if (!r.verdict) return false;
  const std::string& l = r.verdict->label;
  if (l != "malicious" && l != "suspicious" && l != "benign") return false;
  for (const auto& lim : r.limits_hit) {
    if (lim == "interrupted") return false;
  }
  for (const auto& e : r.errors) {
    if (e.rfind("internal:", 0) == 0) return false;
  }
  return true;
}

std::string ScanSummary(const SeedResult& r, bool credible) {
  std::string url = ToPrintable(r.final_url.empty() ? r.seed : r.final_url);
  if (!r.verdict) {
    std::string why = r.errors.empty() ? std::string("not scored") : ToPrintable(CutText(r.errors.front(), 200));
    return "scan: not scored (" + why + ") " + url;
  }
  const Verdict& v = *r.verdict;
  std::string s = "scan: " + (v.label.empty() ? std::string("-") : v.label) + " " + std::to_string(v.score);
  std::string detail = v.scam_type;
  if (!v.brand_impersonated.empty()) detail += (detail.empty() ? "" : ", ") + ToPrintable(v.brand_impersonated);
  if (!detail.empty()) s += " (" + detail + ")";
  s += " " + url;
  if (!credible) s += " [not credible: kept in the history, never applied]";
  return s;
}

Observation ObservationOfScan(const SeedResult& r, const std::string& case_id, int64_t now_ms) {
  Observation o;
  o.case_id = case_id;
  o.at_ms = now_ms;
  o.source = "scan";
  o.url = r.final_url.empty() ? r.seed : r.final_url;
  o.credible = IsCredible(r);
  if (r.verdict) {
    o.score = r.verdict->score;
    o.label = r.verdict->label;
    o.scam_type = r.verdict->scam_type;
    o.brand = r.verdict->brand_impersonated;
  }
  o.evidence_manifest = r.evidence_manifest;
  o.summary = ScanSummary(r, o.credible);
  o.result = r;
  return o;
}

const char* PolicyStatus(int score, const ReporterOptions& o) {
  if (score >= o.auto_report_threshold) return kCaseReported;
  if (score >= o.review_threshold) return kCaseReview;
  return kCaseBenign;
}

int PolicyRank(const std::string& status) {
  if (status == kCaseNew) return 0;
  if (status == kCaseBenign) return 1;
  if (status == kCaseReview) return 2;
  if (status == kCaseReported) return 3;
  return -1;
}

bool RaisesStanding(const CaseRecord& standing, bool case_exists, const Observation& o) {
  if (!o.credible) return false;
  if (!case_exists || standing.status == kCaseNew) return true;
  return o.score > standing.score;
}

}  // namespace dragnet::reporters
