#pragma once
// Seed list input shared by `scan` and `submit`: URLs from the command line
// plus a file ('-' = stdin), one per line, blank lines and '#' comments
// skipped, surrounding whitespace trimmed.

#include <string>
#include <vector>

#include "core/status.h"

namespace dragnet::cli {

// Appends to `out`; an unreadable file is an error naming it.
Status CollectSeeds(const std::vector<std::string>& args, const std::string& file,
                    std::vector<std::string>& out);

}  // namespace dragnet::cli
