#pragma once
// NulFramer: splits the byte stream Chromium writes on its DevTools pipe
// into messages, each a JSON text ended by a NUL byte, with a cap on the
// size of one message (a browser that sends more is broken or hostile and
// the stream is abandoned). Pure; one instance per stream, one thread.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dragnet::crawler::browser {

class NulFramer {
 public:
  explicit NulFramer(size_t max_message) : max_(max_message) {}
  // Appends `bytes` and moves every completed message to `out`. False when
  // the unfinished message has grown past the cap; the framer then stays
  // failed and drops everything.
  bool Append(std::string_view bytes, std::vector<std::string>& out);
  bool failed() const { return failed_; }
  size_t pending() const { return buf_.size(); }

 private:
  std::string buf_;
  size_t max_;
  bool failed_ = false;
};

}  // namespace dragnet::crawler::browser
