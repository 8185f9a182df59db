#include "app/intel_stage.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/fs.h"
#include "core/text.h"
#include "intel/identifiers.h"

namespace dragnet::app {

std::string IntelIndexPath(const Config& c) { return c.general.state_dir + "/intel.db"; }

Result<std::unique_ptr<intel::CampaignIndex>> OpenCampaignIndex(const Config& c) {
  DRAGNET_RETURN_IF_ERROR(MakeDirs(c.general.state_dir));
  return intel::CampaignIndex::Open(IntelIndexPath(c), c.intel);
}

Result<std::unique_ptr<IntelStage>> IntelStage::Open(const Config& c) {
  if (!c.intel.enabled) return std::unique_ptr<IntelStage>();
  auto index = OpenCampaignIndex(c);
  if (!index.ok()) return index.status();
  return std::unique_ptr<IntelStage>(new IntelStage(std::move(index).value()));
}

void IntelStage::Record(SeedResult& r, const extractors::BrandCatalog* brands) {
  if (r.case_id.empty()) return;
  auto out = index_->Add(intel::FactsOf(r, brands, SystemClock::Instance().NowUnixMs()));
  if (!out.ok()) {
    spdlog::error("intel: case {} for {}: {}", r.case_id, ToPrintable(r.seed), out.status().message());
    r.errors.push_back("intel: " + out.status().message());
    return;
  }
  if (!out->merged.empty()) {
    spdlog::info("intel: case {} merged campaigns into {}", r.case_id, out->campaign_id);
  }
}

}  // namespace dragnet::app
