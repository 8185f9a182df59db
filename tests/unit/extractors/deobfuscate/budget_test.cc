// extractors/deobfuscate/budget.h: each named limit refuses past its cap and
// is recorded once.
#include "extractors/deobfuscate/budget.h"

#include <gtest/gtest.h>

#include <chrono>

namespace dragnet::extractors::deob {
namespace {

TEST(DecodeBudget, EachLimitRefusesAndIsRecordedOnce) {
  DecodeLimits l;
  l.max_depth = 2;
  l.max_output_bytes = 10;
  l.max_string_bytes = 5;
  l.max_html_fragments = 1;
  l.max_time_us = 0;
  DecodeBudget b(l);
  EXPECT_TRUE(b.DepthOk(2));
  EXPECT_FALSE(b.DepthOk(3));
  EXPECT_FALSE(b.DepthOk(4));
  EXPECT_TRUE(b.Charge(6));
  EXPECT_FALSE(b.Charge(5));
  EXPECT_EQ(b.remaining(), 4u);
  EXPECT_TRUE(b.StringOk(5));
  EXPECT_FALSE(b.StringOk(6));
  EXPECT_TRUE(b.FragmentOk());
  EXPECT_FALSE(b.FragmentOk());
  EXPECT_TRUE(b.TimeOk());  // 0: no time limit
  EXPECT_EQ(b.limits_hit(), (std::vector<std::string>{kLimitDepth, kLimitOutput, kLimitString, kLimitFragments}));
}

TEST(DecodeBudget, TimeRunsOutOnlyInsideTimedSections) {
  DecodeLimits l;
  l.max_time_us = 1;
  DecodeBudget b(l);
  // Outside a section the clock does not run for the budget (the caller's
  // scanning, one-time set-up): still in budget however long that takes.
  auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
  while (std::chrono::steady_clock::now() < until) {
  }
  EXPECT_TRUE(b.TimeOk());
  {
    DecodeBudget::Timed timed(b);
    DecodeBudget::Timed nested(b);  // nested sections count once
    // Spin until the microsecond has passed (no assertion on how long).
    while (b.TimeOk()) {
    }
  }
  EXPECT_FALSE(b.TimeOk());
  EXPECT_TRUE(b.exhausted());
  EXPECT_EQ(b.limits_hit(), std::vector<std::string>{kLimitTime});
}

}  // namespace
}  // namespace dragnet::extractors::deob
