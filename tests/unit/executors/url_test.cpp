#include "common/url.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace apflow::plugins::common {
namespace {

TEST(Url, SplitsSchemeHostPortAndTarget) {
  const Url url = parse_url("HTTPS://Example.COM:8443/a/b?x=1#frag");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.port, 8443);
  EXPECT_EQ(url.target, "/a/b?x=1");
  EXPECT_EQ(url.to_string(), "https://example.com:8443/a/b?x=1");
}

TEST(Url, DefaultsPortAndPathAndKeepsIpv6Brackets) {
  const Url plain = parse_url("http://host?q=1");
  EXPECT_EQ(plain.port, 80);
  EXPECT_EQ(plain.target, "/?q=1");
  EXPECT_EQ(plain.authority(), "host");
  const Url v6 = parse_url("https://[::1]:9000/");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.authority(), "[::1]:9000");
}

TEST(Url, RejectsWhatItCannotUseWithTheReason) {
  const auto message = [](const char* text) {
    try {
      parse_url(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("example.com/x").find("not absolute"), std::string::npos);
  EXPECT_NE(message("ftp://x/").find("only http and https"), std::string::npos);
  EXPECT_NE(message("http:///path").find("no hostname"), std::string::npos);
  EXPECT_NE(message("http://x:99999/").find("invalid port"), std::string::npos);
  EXPECT_NE(message("http://x/a b").find("space"), std::string::npos);
}

TEST(Url, ResolvesRedirectLocations) {
  const Url base = parse_url("http://h:81/dir/page?x=1");
  EXPECT_EQ(resolve_reference(base, "/root").to_string(), "http://h:81/root");
  EXPECT_EQ(resolve_reference(base, "next?y=2").to_string(), "http://h:81/dir/next?y=2");
  EXPECT_EQ(resolve_reference(base, "?z=3").to_string(), "http://h:81/dir/page?z=3");
  EXPECT_EQ(resolve_reference(base, "//other/p").to_string(), "http://other/p");
  EXPECT_EQ(resolve_reference(base, "https://s/").to_string(), "https://s/");
}

TEST(Url, PercentEncodesPairsAndAppendsToTheQuery) {
  EXPECT_EQ(encode_pairs({{"a b", "c&d=é"}}), "a%20b=c%26d%3D%C3%A9");
  EXPECT_EQ(append_query("/p", "a=1"), "/p?a=1");
  EXPECT_EQ(append_query("/p?x=0", "a=1"), "/p?x=0&a=1");
  EXPECT_EQ(append_query("/p", ""), "/p");
}

}  // namespace
}  // namespace apflow::plugins::common
