#pragma once
// RenderTable: the CLI's human tables — a header row, columns padded to
// their widest cell (counted in code points, so accented names line up),
// two spaces between columns, the last column never padded (it holds the
// long values: URLs, reasons). Cells must already be printable text
// (core/text.h ToPrintable); a newline in a cell is shown as a space.
// Pure function; thread-safe.

#include <string>
#include <vector>

namespace dragnet {

std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

}  // namespace dragnet
