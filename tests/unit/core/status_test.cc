#include "core/status.h"

#include <gtest/gtest.h>

namespace dragnet {
namespace {

TEST(StatusTest, OkAndErrorCarryCodeAndMessage) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Refused("scheme 'ftp' is not http or https");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.ToString(), "refused: scheme 'ftp' is not http or https");
}

TEST(StatusTest, ResultHoldsValueOrError) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad = NotFound("no such case");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kNotFound);
}

Status Chain(bool fail) {
  DRAGNET_RETURN_IF_ERROR(fail ? IoError("disk full") : Status::Ok());
  return InvalidArgument("reached the end");
}

TEST(StatusTest, ReturnIfErrorStopsAtFirstError) {
  EXPECT_EQ(Chain(true).code(), Code::kIoError);
  EXPECT_EQ(Chain(false).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace dragnet
