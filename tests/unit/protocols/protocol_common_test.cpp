// SSE framing and the local-origin check of the HTTP front-ends.
#include <gtest/gtest.h>

#include "common/http_policy.h"
#include "common/sse.h"

namespace apflow::plugins::protocols {
namespace {

TEST(Sse, EventsSplitMultilineDataAndKeepFieldsOnOneLine) {
  EXPECT_EQ(sse::event("{}"), "event: message\ndata: {}\n\n");
  EXPECT_EQ(sse::event("a\r\nb", "message", "7"), "event: message\nid: 7\ndata: a\ndata: b\n\n");
  EXPECT_EQ(sse::event("x", "bad\nname", ""), "event: bad\ndata: x\n\n");
  EXPECT_EQ(sse::comment("ping"), ": ping\n\n");
}

TEST(Origin, OnlyThisMachineIsLocal) {
  EXPECT_TRUE(is_local_origin("http://localhost:3000"));
  EXPECT_TRUE(is_local_origin("http://127.0.0.1"));
  EXPECT_TRUE(is_local_origin("https://[::1]:8443"));
  EXPECT_FALSE(is_local_origin("http://localhost.evil.example"));
  EXPECT_FALSE(is_local_origin("http://127.0.0.1.nip.io"));
  EXPECT_FALSE(is_local_origin("null"));
  EXPECT_FALSE(is_local_origin("https://example.com"));
}

TEST(Policy, TokenIsCheckedExceptOnPublicPaths) {
  HttpConfig config;
  config.token = "s3cret";
  const HttpPolicy policy(config);
  HttpRequest request{http::verb::post, "/mcp", 11};
  EXPECT_FALSE(policy.authorized(request));
  request.set(http::field::authorization, "Bearer wrong");
  EXPECT_FALSE(policy.authorized(request));
  request.set(http::field::authorization, "bearer s3cret");
  EXPECT_TRUE(policy.authorized(request));
  const auto refusal = policy.screen(HttpRequest{http::verb::post, "/mcp", 11});
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->result(), http::status::unauthorized);
  EXPECT_EQ((*refusal)[http::field::www_authenticate], "Bearer");
  EXPECT_TRUE(policy.authorized(HttpRequest{http::verb::get, "/health?x=1", 11}));
}

}  // namespace
}  // namespace apflow::plugins::protocols
