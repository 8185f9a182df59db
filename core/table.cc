#include "core/table.h"

#include <algorithm>

namespace dragnet {
namespace {

// Code points of UTF-8 text (continuation bytes do not count).
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  return s;
}

}  // namespace

std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size(), 0);
  for (size_t k = 0; k < header.size(); ++k) width[k] = Width(header[k]);
  for (const auto& r : rows) {
    for (size_t k = 0; k < r.size() && k < width.size(); ++k) width[k] = std::max(width[k], Width(OneLine(r[k])));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (size_t k = 0; k < header.size(); ++k) {
      std::string cell = k < cells.size() ? OneLine(cells[k]) : std::string();
      l += cell;
      if (k + 1 < header.size()) l += std::string(width[k] - Width(cell) + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out;
}

}  // namespace dragnet
