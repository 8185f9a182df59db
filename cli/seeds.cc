#include "cli/seeds.h"

#include <iostream>
#include <sstream>

#include "core/fs.h"

namespace dragnet::cli {
namespace {

// A seed list larger than this is a mistake (a binary file, a log).
constexpr uint64_t kMaxSeedFileBytes = 256ull << 20;

void AddLines(const std::string& text, std::vector<std::string>& out) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    auto e = line.find_last_not_of(" \t\r");
    out.push_back(line.substr(b, e - b + 1));
  }
}

}  // namespace

Status CollectSeeds(const std::vector<std::string>& args, const std::string& file,
                    std::vector<std::string>& out) {
  for (const auto& a : args) out.push_back(a);
  if (file.empty()) return Status::Ok();
  if (file == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    AddLines(ss.str(), out);
    return Status::Ok();
  }
  auto text = ReadFile(file, kMaxSeedFileBytes);
  if (!text.ok()) return InvalidArgument("cannot read seed file: " + text.status().message());
  AddLines(*text, out);
  return Status::Ok();
}

}  // namespace dragnet::cli
