// NulFramer: the DevTools pipe's byte stream into messages.
#include "crawler/browser/framing.h"

#include <gtest/gtest.h>

namespace dragnet::crawler::browser {
namespace {

TEST(NulFramerTest, MessagesSplitAcrossReadsAndSeveralInOneRead) {
  NulFramer f(1024);
  std::vector<std::string> out;
  EXPECT_TRUE(f.Append(std::string_view("{\"id\":1}\0{\"id\"", 14), out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], "{\"id\":1}");
  EXPECT_TRUE(f.Append(std::string_view(":2}\0\0", 5), out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1], "{\"id\":2}");
  EXPECT_EQ(out[2], "");  // an empty message is passed on (and ignored by JSON parsing)
  EXPECT_EQ(f.pending(), 0u);
}

TEST(NulFramerTest, AMessagePastTheCapFailsTheStream) {
  NulFramer f(8);
  std::vector<std::string> out;
  EXPECT_TRUE(f.Append("12345678", out));  // at the cap: still waiting
  EXPECT_FALSE(f.Append("9", out));        // one byte more: kMaxMessageBytes hit
  EXPECT_TRUE(f.failed());
  EXPECT_FALSE(f.Append(std::string_view("x\0", 2), out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(f.pending(), 0u);
}

}  // namespace
}  // namespace dragnet::crawler::browser
