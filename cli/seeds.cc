#include "cli/seeds.h"

#include <iostream>
#include <sstream>

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

void AddLines(std::string_view text, const std::string& name, std::vector<SeedInput>& out) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte-order mark
  size_t line_no = 0;
  // Bounded by the file size (kMaxSeedFileBytes); LF, CRLF and lone CR end a line.
  while (!text.empty()) {
    size_t end = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, end);
    ++line_no;
    if (end == std::string_view::npos) {
      text = {};
    } else {
      text.remove_prefix(end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1));
    }
    auto b = line.find_first_not_of(" \t");
    if (b == std::string_view::npos || line[b] == '#') continue;
    auto e = line.find_last_not_of(" \t");
    SeedInput in;
    in.text = std::string(line.substr(b, e - b + 1));
    in.where = name + ":" + std::to_string(line_no);
    if (in.text.find('\0') != std::string::npos) in.error = "the line holds a NUL byte";
    out.push_back(std::move(in));
  }
}

}  // namespace

Status CollectSeeds(const std::vector<std::string>& args, const std::string& file,
                    std::vector<SeedInput>& out) {
  for (size_t i = 0; i < args.size(); ++i) out.push_back({args[i], "argument " + std::to_string(i + 1), ""});
  if (file.empty()) return Status::Ok();
  if (file == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    std::string text = ss.str();
    DRAGNET_RETURN_IF_ERROR(CheckEncoding(text, "stdin"));
    AddLines(text, "stdin", out);
    return Status::Ok();
  }
  auto text = ReadFile(file, kMaxSeedFileBytes);
  if (!text.ok()) return InvalidArgument("cannot read seed file: " + text.status().message());
  DRAGNET_RETURN_IF_ERROR(CheckEncoding(*text, file));
  AddLines(*text, file, out);
  return Status::Ok();
}

}  // namespace dragnet::cli
