#include "request_inputs.h"

#include <apflow/sdk/error.h>
#include <gtest/gtest.h>

namespace apflow::plugins::rest {
namespace {

HttpRequest build(const char* json, RestSettings settings = {}) {
  return build_request(sdk::parse_json(json), settings);
}

std::string header(const Headers& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

TEST(HttpRequest, TimeoutAndRedirectLimitsComeFromInputsWithinTheSettings) {
  RestSettings settings;
  settings.max_redirects = 4;
  auto request = build(R"({"url":"http://h/","timeout":2.5,"max_redirects":9})", settings);
  EXPECT_EQ(request.timeout.count(), 2500);
  EXPECT_EQ(request.max_redirects, 4);
  EXPECT_EQ(build(R"({"url":"http://h/"})").timeout.count(),
            RestSettings{}.default_timeout.count());
}

TEST(HttpRequest, CallerAuthorizationWinsOverBearer) {
  auto request = build(R"({"url":"http://h/","headers":{"Authorization":"Token x"},
                          "auth":{"type":"bearer","token":"t"}})");
  EXPECT_EQ(header(request.headers, "Authorization"), "Token x");
  EXPECT_TRUE(request.auth_headers.empty());
}

TEST(HttpRequest, CredentialsInTheUrlAreRefused) {
  EXPECT_THROW(build(R"({"url":"http://user:pw@h/"})"), sdk::Error);
}

TEST(HttpRequest, RedirectRulesForMethodBodyAndCredentials) {
  auto post = build(R"({"url":"http://h/a","method":"POST","json":{"x":1},
                       "auth":{"type":"bearer","token":"t"},"headers":{"Cookie":"c=1"}})");
  auto same = redirected(post, 307, "/b");
  EXPECT_EQ(same.method, "POST");
  EXPECT_EQ(same.body, R"({"x":1})");
  EXPECT_EQ(same.auth_headers.size(), 1u);
  auto see_other = redirected(post, 303, "/c");
  EXPECT_EQ(see_other.method, "GET");
  EXPECT_TRUE(see_other.body.empty());
  EXPECT_EQ(header(see_other.headers, "Content-Type"), "<absent>");
  auto elsewhere = redirected(post, 308, "https://other/");
  EXPECT_TRUE(elsewhere.auth_headers.empty());
  EXPECT_EQ(header(elsewhere.headers, "Cookie"), "<absent>");
  EXPECT_EQ(elsewhere.method, "POST");
}

}  // namespace
}  // namespace apflow::plugins::rest
