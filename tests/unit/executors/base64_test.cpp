#include "common/base64.h"

#include <gtest/gtest.h>

#include <vector>

namespace apflow::plugins::common {
namespace {

TEST(Base64, RoundTripsEveryPaddingLength) {
  for (const std::string& text :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(base64_decode(base64_encode(text)), text);
  }
  EXPECT_EQ(base64_encode("ann:pw"), "YW5uOnB3");
}

TEST(Base64, DecodingSkipsLineBreaksAndRefusesGarbage) {
  EXPECT_EQ(base64_decode("YW5u\r\nOnB3"), "ann:pw");
  EXPECT_FALSE(base64_decode("YW5u!"));
  EXPECT_FALSE(base64_decode("YQ==YQ=="));
  EXPECT_FALSE(base64_decode("Y"));
}

}  // namespace
}  // namespace apflow::plugins::common
