#include "intel/options.h"

#include "core/config_section.h"
#include "core/options_table.h"

namespace dragnet::intel {
namespace {

using O = IntelOptions;

const OptionTable<O>& Table() {
  static const OptionTable<O> t = {
      Flag("enabled", &O::enabled),
      Int("min_link_weight", &O::min_link_weight, 1, kMaxWeight),
      List("ignore", &O::ignore),
      List("owned", &O::owned),
  };
  return t;
}

Status CheckPairs(const char* key, const std::vector<std::string>& v) {
  if (v.size() > kMaxListedValues) {
    return InvalidArgument(std::string("config key 'intel.") + key + "' holds more than " +
                           std::to_string(kMaxListedValues) + " values");
  }
  for (const auto& p : v) {
    auto colon = p.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == p.size()) {
      return InvalidArgument(std::string("config key 'intel.") + key + "': '" + p +
                             "' is not type:value (e.g. analytics_ga:G-ABC123)");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseIntelOptions(const toml::table* root, IntelOptions& o) {
  ConfigSection s(root, "intel");
  DRAGNET_RETURN_IF_ERROR(BindOptions(s, Table(), o));
  DRAGNET_RETURN_IF_ERROR(s.Finish());
  DRAGNET_RETURN_IF_ERROR(CheckPairs("ignore", o.ignore));
  return CheckPairs("owned", o.owned);
}

}  // namespace dragnet::intel
