#pragma once
// IntelStage: feeds each stored case into the campaign index
// (intel/index.h, <state_dir>/intel.db) right after the reporter stored it,
// so campaigns grow as cases arrive. Owned by the Pipeline; called under
// the pipeline's report lock, one seed at a time.

#include <memory>
#include <string>

#include "app/config.h"
#include "core/model.h"
#include "core/status.h"
#include "extractors/brands.h"
#include "intel/index.h"

namespace dragnet::app {

// Path of the campaign index for a config.
std::string IntelIndexPath(const Config& c);
// Opens (creating when missing) the campaign index of a config, for the
// CLI's readers (campaigns, search, export).
Result<std::unique_ptr<intel::CampaignIndex>> OpenCampaignIndex(const Config& c);

class IntelStage {
 public:
  // Opens the index; nullptr (no error) when [intel] enabled = false.
  static Result<std::unique_ptr<IntelStage>> Open(const Config& c);

  // Indexes `r` (which must carry its case_id). An index failure is the
  // seed's recorded error: the case itself is already stored.
  void Record(SeedResult& r, const extractors::BrandCatalog* brands);

 private:
  explicit IntelStage(std::unique_ptr<intel::CampaignIndex> index) : index_(std::move(index)) {}
  std::unique_ptr<intel::CampaignIndex> index_;
};

}  // namespace dragnet::app
