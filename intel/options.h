#pragma once
// IntelOptions: the [intel] section — whether the pipeline indexes cases
// into campaigns (intel/index.h), how strong an identifier must be to link
// two cases, and which values never link (ubiquitous ones, and values a
// brand owns). Plain struct, read once at start; copy freely.

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/status.h"

namespace dragnet::intel {

// Identifier weights are 0..100 (intel/identifiers.h); a link needs at
// least min_link_weight.
inline constexpr int kMaxWeight = 100;
// Most values in each of ignore/owned: a table written by people.
inline constexpr size_t kMaxListedValues = 10'000;

struct IntelOptions {
  bool enabled = true;              // index every stored case (<state_dir>/intel.db)
  int min_link_weight = 50;         // an identifier links cases when its weight is at least this
  // "type:value" pairs that never link (ubiquitous: a public CDN, a shared
  // form service), on top of the built-in list (intel/identifiers.cc).
  std::vector<std::string> ignore;
  // "type:value" pairs a brand owns (its real analytics ID, its real
  // phone): never link. Values seen on a brand's own domain are learnt.
  std::vector<std::string> owned;
};

// Reads [intel]; unknown keys and out-of-range values are errors naming the key.
Status ParseIntelOptions(const toml::table* root, IntelOptions& o);

}  // namespace dragnet::intel
