#include "reporters/liveness.h"

namespace dragnet::reporters {

LivenessProbe::Liveness AlwaysLiveProbe::Check(const std::string&) {
  return {true, 0, FormatRfc3339Ms(clock_->NowUnixMs()), "not checked (freshness gate off)"};
}

}  // namespace dragnet::reporters
