// rest_executor through the real host against the real HTTP(S) test server on 127.0.0.1.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "background_server.h"
#include "executor_host.h"

namespace apflow::testing {
namespace {

constexpr const char* kLoopbackAllowed = "plugins:\n  rest:\n    allow_loopback: true\n";

class RestExecutor : public ::testing::Test {
 protected:
  void start(const std::string& yaml = kLoopbackAllowed) {
    server_ = std::make_unique<BackgroundServer>(
        std::vector<std::string>{python(), script("http_test_server.py")});
    host_ = std::make_unique<ExecutorHost>(dir_, yaml);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  registry::CallOutcome call(const std::string& input) {
    return host_->call("apflow.rest_executor", input);
  }
  // Calls and expects success; returns the result.
  rapidjson::Document ok(const std::string& input) {
    auto outcome = call(input);
    EXPECT_TRUE(outcome.ok()) << outcome.error_code << ": " << outcome.error_message;
    return parse(outcome.ok() ? outcome.output_json : "{}");
  }

  std::filesystem::path dir_ = test_dir("rest");
  std::unique_ptr<BackgroundServer> server_;
  std::unique_ptr<ExecutorHost> host_;
};

TEST_F(RestExecutor, GetWithQueryParamsAndHeadersReturnsTheJsonBody) {
  start();
  auto out = ok(R"({"url":)" + quoted(url("/echo?fixed=1")) +
                R"(,"params":{"q":"a b&c","n":3},"headers":{"X-Trace":"t-1"}})");
  EXPECT_TRUE(out["success"].GetBool());
  EXPECT_EQ(out["status_code"].GetInt(), 200);
  EXPECT_STREQ(out["method"].GetString(), "GET");
  EXPECT_STREQ(out["json"]["query"].GetString(), "fixed=1&q=a%20b%26c&n=3");
  EXPECT_STREQ(out["json"]["headers"]["x-trace"].GetString(), "t-1");
  EXPECT_STREQ(out["headers"]["Content-Type"].GetString(), "application/json");
  EXPECT_EQ(out["url"].GetString(), url("/echo?fixed=1&q=a%20b%26c&n=3"));
}

TEST_F(RestExecutor, PostJsonSendsTheBodyWithItsContentType) {
  start();
  auto out = ok(R"({"url":)" + quoted(url("/echo")) +
                R"(,"method":"POST","json":{"name":"apflow","n":[1,2]}})");
  EXPECT_STREQ(out["json"]["method"].GetString(), "POST");
  EXPECT_STREQ(out["json"]["body"].GetString(), R"({"name":"apflow","n":[1,2]})");
  EXPECT_STREQ(out["json"]["headers"]["content-type"].GetString(), "application/json");
}

TEST_F(RestExecutor, FormDataIsUrlEncoded) {
  start();
  auto out =
      ok(R"({"url":)" + quoted(url("/echo")) + R"(,"method":"PUT","data":{"a":"1","b":"x y"}})");
  EXPECT_STREQ(out["json"]["body"].GetString(), "a=1&b=x%20y");
  EXPECT_STREQ(out["json"]["headers"]["content-type"].GetString(),
               "application/x-www-form-urlencoded");
}

TEST_F(RestExecutor, TextBodiesComeBackAsText) {
  start();
  auto out = ok(R"({"url":)" + quoted(url("/text")) + "}");
  EXPECT_STREQ(out["text"].GetString(), "hello, not json");
  EXPECT_FALSE(out.HasMember("json"));
}

TEST_F(RestExecutor, BearerBasicAndApiKeyAuthReachTheServer) {
  start();
  auto bearer =
      ok(R"({"url":)" + quoted(url("/echo")) + R"(,"auth":{"type":"bearer","token":"tok-1"}})");
  EXPECT_STREQ(bearer["json"]["headers"]["authorization"].GetString(), "Bearer tok-1");
  auto basic = ok(R"({"url":)" + quoted(url("/echo")) +
                  R"(,"auth":{"type":"basic","username":"ann","password":"pw"}})");
  EXPECT_STREQ(basic["json"]["headers"]["authorization"].GetString(), "Basic YW5uOnB3");
  auto header = ok(R"({"url":)" + quoted(url("/echo")) +
                   R"(,"auth":{"type":"apikey","key":"X-Api-Key","value":"k1"}})");
  EXPECT_STREQ(header["json"]["headers"]["x-api-key"].GetString(), "k1");
  auto query = ok(R"({"url":)" + quoted(url("/echo")) +
                  R"(,"auth":{"type":"apikey","key":"api_key","value":"k 2","location":"query"}})");
  EXPECT_STREQ(query["json"]["query"].GetString(), "api_key=k%202");
}

TEST_F(RestExecutor, ClientErrorsAreResultsWithSuccessFalse) {
  start();
  auto out = ok(R"({"url":)" + quoted(url("/status/404")) + "}");
  EXPECT_FALSE(out["success"].GetBool());
  EXPECT_EQ(out["status_code"].GetInt(), 404);
  EXPECT_STREQ(out["text"].GetString(), "status 404");
}

TEST_F(RestExecutor, TransientStatusesAreRetryableErrors) {
  start();
  for (const char* status : {"503", "429"}) {
    auto outcome = call(R"({"url":)" + quoted(url(std::string("/status/") + status)) + "}");
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error_code, std::string("REST_HTTP_") + status);
    EXPECT_TRUE(outcome.retryable);
    EXPECT_NE(outcome.error_message.find(std::string("HTTP ") + status), std::string::npos);
  }
}

TEST_F(RestExecutor, RedirectsAreFollowedToTheFinalUrl) {
  start();
  auto out = ok(R"({"url":)" + quoted(url("/redirect/3")) + "}");
  EXPECT_EQ(out["status_code"].GetInt(), 200);
  EXPECT_EQ(out["url"].GetString(), url("/echo"));
  auto unfollowed = ok(R"({"url":)" + quoted(url("/redirect/3")) + R"(,"follow_redirects":false})");
  EXPECT_EQ(unfollowed["status_code"].GetInt(), 302);
  EXPECT_STREQ(unfollowed["headers"]["Location"].GetString(), "/redirect/2");
}

TEST_F(RestExecutor, RedirectChainsAreBounded) {
  start();
  auto outcome = call(R"({"url":)" + quoted(url("/redirect/10")) + R"(,"max_redirects":3})");
  EXPECT_EQ(outcome.error_code, "REST_TOO_MANY_REDIRECTS");
  EXPECT_NE(outcome.error_message.find("more than 3 redirects"), std::string::npos);
  EXPECT_FALSE(outcome.retryable);
}

TEST_F(RestExecutor, A303TurnsAPostIntoAGetWithoutBody) {
  start();
  auto out = ok(R"({"url":)" + quoted(url("/redirect-to?status=303&url=/echo")) +
                R"(,"method":"POST","json":{"a":1}})");
  EXPECT_STREQ(out["json"]["method"].GetString(), "GET");
  EXPECT_STREQ(out["json"]["body"].GetString(), "");
}

TEST_F(RestExecutor, CredentialsAreNotSentToAnotherOrigin) {
  start();
  const std::string other = "http://localhost:" + std::to_string(server_->port()) + "/echo";
  auto out = ok(R"({"url":)" + quoted(url("/redirect-to?url=" + other)) +
                R"(,"auth":{"type":"bearer","token":"secret"},"headers":{"X-Keep":"1"}})");
  EXPECT_STREQ(out["json"]["path"].GetString(), "/echo");
  EXPECT_FALSE(out["json"]["headers"].HasMember("authorization"));
  EXPECT_STREQ(out["json"]["headers"]["x-keep"].GetString(), "1");
}

TEST_F(RestExecutor, TimeoutIsARetryableError) {
  start();
  const auto begin = std::chrono::steady_clock::now();
  auto outcome = call(R"({"url":)" + quoted(url("/slow?ms=5000")) + R"(,"timeout":0.3})");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(4));
  EXPECT_EQ(outcome.error_code, "REST_TIMEOUT");
  EXPECT_NE(outcome.error_message.find("Request timeout"), std::string::npos);
  EXPECT_TRUE(outcome.retryable);
}

TEST_F(RestExecutor, ABodyOverTheLimitIsRefused) {
  start("plugins:\n  rest:\n    allow_loopback: true\n    max_response_bytes: 1000\n");
  EXPECT_TRUE(ok(R"({"url":)" + quoted(url("/big?bytes=1000")) + "}")["success"].GetBool());
  auto outcome = call(R"({"url":)" + quoted(url("/big?bytes=5000")) + "}");
  EXPECT_EQ(outcome.error_code, "REST_RESPONSE_TOO_LARGE");
  EXPECT_NE(outcome.error_message.find("plugins.rest.max_response_bytes (1000 bytes)"),
            std::string::npos)
      << outcome.error_message;
}

TEST_F(RestExecutor, LoopbackIsRefusedUnlessConfigured) {
  start("{}\n");
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto outcome =
        call(R"({"url":"http://)" + host + ":" + std::to_string(server_->port()) + R"(/echo"})");
    EXPECT_EQ(outcome.error_code, "REST_ADDRESS_REFUSED");
    EXPECT_NE(outcome.error_message.find(host + " -> "), std::string::npos)
        << outcome.error_message;
    EXPECT_NE(outcome.error_message.find("plugins.rest.allow_loopback"), std::string::npos);
    EXPECT_FALSE(outcome.retryable);
  }
}

TEST_F(RestExecutor, PrivateAndLinkLocalAddressesAreRefusedBeforeConnecting) {
  start();
  for (const char* target : {"http://10.1.2.3/", "http://169.254.169.254/latest/meta-data",
                             "http://[::ffff:192.168.1.1]/", "http://0.0.0.0/"}) {
    auto outcome = call(R"({"url":")" + std::string(target) + R"(","timeout":2})");
    EXPECT_EQ(outcome.error_code, "REST_ADDRESS_REFUSED") << target;
  }
}

TEST_F(RestExecutor, RedirectTargetsPassTheGuardToo) {
  start();
  auto outcome = call(R"({"url":)" + quoted(url("/redirect-to?url=http://10.9.8.7/x")) + "}");
  EXPECT_EQ(outcome.error_code, "REST_ADDRESS_REFUSED");
  EXPECT_NE(outcome.error_message.find("10.9.8.7 -> 10.9.8.7"), std::string::npos)
      << outcome.error_message;
}

TEST_F(RestExecutor, CancellationStopsAWaitingRequest) {
  start();
  std::promise<registry::CallOutcome> done;
  registry::CallObserver observer;
  observer.on_done = [&done](const registry::CallOutcome& o) { done.set_value(o); };
  auto running =
      host_->pipeline().start({.module_id = "apflow.rest_executor",
                               .input_json = R"({"url":)" + quoted(url("/slow?ms=20000")) + "}"},
                              std::move(observer));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  running->cancel();
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(future.get().error_code, "EXECUTION_CANCELLED");
}

TEST_F(RestExecutor, ConnectionRefusedIsARetryableError) {
  start();
  auto outcome = call(R"({"url":"http://127.0.0.1:)" + std::to_string(closed_port()) + R"(/"})");
  EXPECT_EQ(outcome.error_code, "REST_CONNECT_FAILED");
  EXPECT_NE(outcome.error_message.find("Connection failed"), std::string::npos);
  EXPECT_TRUE(outcome.retryable);
}

TEST_F(RestExecutor, ConnectionsAreReusedAcrossCalls) {
  start();
  int last = 0;
  for (int i = 0; i < 5; ++i)
    last = ok(R"({"url":)" + quoted(url("/echo")) + "}")["json"]["connections"].GetInt();
  EXPECT_EQ(last, 1);
}

TEST_F(RestExecutor, BadInputIsNamed) {
  start();
  auto no_scheme = call(R"({"url":"example.com/x"})");
  EXPECT_EQ(no_scheme.error_code, "GENERAL_INVALID_INPUT");
  EXPECT_NE(no_scheme.error_message.find("not absolute"), std::string::npos);
  auto ftp = call(R"({"url":"ftp://example.com/x"})");
  EXPECT_NE(ftp.error_message.find("only http and https"), std::string::npos);
  auto injected = call(R"({"url":)" + quoted(url("/echo")) + R"(,"headers":{"X":"a\r\nB: c"}})");
  EXPECT_NE(injected.error_message.find("line break"), std::string::npos);
  auto insecure = call(R"({"url":)" + quoted(url("/echo")) + R"(,"verify":false})");
  EXPECT_NE(insecure.error_message.find("plugins.rest.allow_insecure_tls"), std::string::npos);
}

class RestExecutorTls : public RestExecutor {
 protected:
  void start_tls(const std::string& extra_config) {
    const auto tls_dir = dir_ / "tls";
    server_ = std::make_unique<BackgroundServer>(std::vector<std::string>{
        python(), script("http_test_server.py"), "--tls-dir", tls_dir.string()});
    ca_file_ = (tls_dir / "ca.pem").string();
    host_ = std::make_unique<ExecutorHost>(
        dir_, "plugins:\n  rest:\n    allow_loopback: true\n" + extra_config);
  }
  std::string https(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  std::string ca_file_;
};

TEST_F(RestExecutorTls, AnUnknownCaFailsVerification) {
  start_tls("");
  auto outcome = call(R"({"url":)" + quoted(https("/echo")) + "}");
  EXPECT_EQ(outcome.error_code, "REST_TLS_ERROR");
  EXPECT_NE(outcome.error_message.find("certificate verify failed"), std::string::npos)
      << outcome.error_message;
  EXPECT_NE(outcome.error_message.find("plugins.rest.ca_file"), std::string::npos);
  EXPECT_FALSE(outcome.retryable);
}

TEST_F(RestExecutorTls, TheConfiguredCaFileIsTrustedAndConnectionsAreReused) {
  const auto tls_dir = dir_ / "tls";
  start_tls("    ca_file: " + (tls_dir / "ca.pem").string() + "\n");
  auto first = ok(R"({"url":)" + quoted(https("/echo")) + R"(,"method":"POST","json":{"x":1}})");
  EXPECT_STREQ(first["json"]["body"].GetString(), R"({"x":1})");
  auto second = ok(R"({"url":)" + quoted(https("/echo")) + "}");
  EXPECT_EQ(second["json"]["connections"].GetInt(), 1);
}

}  // namespace
}  // namespace apflow::testing
