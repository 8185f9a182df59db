#include "core/clock.h"

#include <gtest/gtest.h>

namespace dragnet {
namespace {

TEST(ClockTest, FormatsRfc3339WithMilliseconds) {
  EXPECT_EQ(FormatRfc3339Ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Ms(1796047695123), "2026-11-30T14:08:15.123Z");
}

TEST(ClockTest, ParsesRfc3339RoundTripAndOffsets) {
  auto t = ParseRfc3339Ms("2026-11-30T14:08:15.123Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1796047695123);
  auto off = ParseRfc3339Ms("2026-11-30T16:08:15+02:00");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, 1796047695000);
  auto date = ParseRfc3339Ms("1997-09-15");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(*date, 874281600000);
  EXPECT_FALSE(ParseRfc3339Ms("15/09/1997").ok());
  EXPECT_FALSE(ParseRfc3339Ms("2026-13-01").ok());
  EXPECT_FALSE(ParseRfc3339Ms("2026-11-30T14:08:15Zjunk").ok());
}

TEST(ClockTest, DurationsNeedUnits) {
  EXPECT_EQ(*ParseDurationMs("500ms"), 500);
  EXPECT_EQ(*ParseDurationMs("30s"), 30000);
  EXPECT_EQ(*ParseDurationMs("5m"), 300000);
  EXPECT_EQ(*ParseDurationMs("72h"), 259200000);
  EXPECT_EQ(*ParseDurationMs("7d"), 604800000);
  EXPECT_FALSE(ParseDurationMs("30").ok());
  EXPECT_FALSE(ParseDurationMs("s").ok());
  EXPECT_FALSE(ParseDurationMs("-5s").ok());
  EXPECT_FALSE(ParseDurationMs("5 weeks").ok());
  EXPECT_EQ(FormatDuration(259200000), "3d");
  EXPECT_EQ(FormatDuration(1500), "1500ms");
}

}  // namespace
}  // namespace dragnet
