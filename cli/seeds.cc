#include "cli/seeds.h"

#include <iostream>
#include <sstream>

#include "core/feed_format.h"
#include "core/fs.h"

namespace dragnet::cli {
namespace {

// A seed list larger than this is a mistake (a binary file, a log).
constexpr uint64_t kMaxSeedFileBytes = 256ull << 20;

Status CheckEncoding(std::string_view text, const std::string& name) {
  auto starts = [&](std::string_view bom) { return text.substr(0, bom.size()) == bom; };
  if (starts(std::string_view("\xFF\xFE\x00\x00", 4)) || starts(std::string_view("\x00\x00\xFE\xFF", 4))) {
    return InvalidArgument(name + " is UTF-32; save it as UTF-8");
  }
  if (starts("\xFF\xFE") || starts("\xFE\xFF")) return InvalidArgument(name + " is UTF-16; save it as UTF-8");
  return Status::Ok();
}

Status AddEntries(std::string_view text, const std::string& name, const FeedFormat& format,
                  std::vector<SeedInput>& out) {
  std::vector<FeedEntry> entries;
  Status st = ReadFeed(text, format, entries);
  if (!st.ok()) return InvalidArgument(name + ": " + st.message());
  for (auto& e : entries) {
    SeedInput in;
    in.text = std::move(e.text);
    in.where = e.line > 0 ? name + ":" + std::to_string(e.line) : name + ": " + e.label;
    in.error = std::move(e.error);
    out.push_back(std::move(in));
  }
  return Status::Ok();
}

}  // namespace

Status CollectSeeds(const std::vector<std::string>& args, const std::string& file,
                    std::vector<SeedInput>& out, const std::string& format_name) {
  auto format = ParseFeedFormat(format_name);
  if (!format.ok()) return format.status();
  for (size_t i = 0; i < args.size(); ++i) out.push_back({args[i], "argument " + std::to_string(i + 1), ""});
  if (file.empty()) return Status::Ok();
  if (file == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    std::string text = ss.str();
    DRAGNET_RETURN_IF_ERROR(CheckEncoding(text, "stdin"));
    return AddEntries(text, "stdin", *format, out);
  }
  auto text = ReadFile(file, kMaxSeedFileBytes);
  if (!text.ok()) return InvalidArgument("cannot read seed file: " + text.status().message());
  DRAGNET_RETURN_IF_ERROR(CheckEncoding(*text, file));
  return AddEntries(*text, file, *format, out);
}

}  // namespace dragnet::cli
