#include "extractors/deobfuscate/budget.h"

#include <algorithm>

namespace dragnet::extractors::deob {

DecodeBudget::DecodeBudget(const DecodeLimits& limits) : limits_(limits) {}

DecodeBudget::Timed::Timed(DecodeBudget& b) : b_(b) {
  if (b_.timed_depth_++ == 0) b_.timed_since_ = std::chrono::steady_clock::now();
}

DecodeBudget::Timed::~Timed() {
  if (--b_.timed_depth_ == 0) b_.spent_ += std::chrono::steady_clock::now() - b_.timed_since_;
}

void DecodeBudget::Hit(const char* name) {
  if (std::find(hit_.begin(), hit_.end(), name) == hit_.end()) hit_.emplace_back(name);
}

bool DecodeBudget::DepthOk(int depth) {
  if (depth <= limits_.max_depth) return true;
  Hit(kLimitDepth);
  return false;
}

bool DecodeBudget::Charge(size_t bytes) {
  if (bytes > limits_.max_output_bytes - used_) {
    Hit(kLimitOutput);
    return false;
  }
  used_ += bytes;
  return true;
}

bool DecodeBudget::StringOk(size_t bytes) {
  if (bytes <= limits_.max_string_bytes) return true;
  Hit(kLimitString);
  return false;
}

bool DecodeBudget::TimeOk() {
  if (out_of_time_) return false;
  if (limits_.max_time_us <= 0) return true;
  std::chrono::nanoseconds spent = spent_;
  if (timed_depth_ > 0) spent += std::chrono::steady_clock::now() - timed_since_;
  if (spent < std::chrono::microseconds(limits_.max_time_us)) return true;
  out_of_time_ = true;
  Hit(kLimitTime);
  return false;
}

bool DecodeBudget::FragmentOk() {
  if (fragments_ >= limits_.max_html_fragments) {
    Hit(kLimitFragments);
    return false;
  }
  ++fragments_;
  return true;
}

}  // namespace dragnet::extractors::deob
