#include "crawler/browser/framing.h"

namespace dragnet::crawler::browser {

bool NulFramer::Append(std::string_view bytes, std::vector<std::string>& out) {
  if (failed_) return false;
  // Only the new bytes are searched: buf_ holds no NUL between calls.
  size_t start = 0;
  size_t scan_from = buf_.size();
  buf_.append(bytes);
  for (;;) {
    size_t nul = buf_.find('\0', scan_from);
    if (nul == std::string::npos) break;
    out.emplace_back(buf_, start, nul - start);
    start = nul + 1;
    scan_from = start;
  }
  buf_.erase(0, start);
  if (buf_.size() > max_) {
    failed_ = true;
    std::string().swap(buf_);
    return false;
  }
  return true;
}

}  // namespace dragnet::crawler::browser
