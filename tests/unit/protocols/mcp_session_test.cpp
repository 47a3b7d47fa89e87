// McpSession's bookkeeping of calls in flight, with the fake host's `fuzz.hold` calls that end
// only when the test releases them: a request id reused while its first call runs (which MCP
// forbids, and some clients do) must not make the session forget a call.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fake_host.h"
#include "mcp/mcp_session.h"
#include "mcp/stdio_transport.h"

namespace apflow::plugins::mcp {
namespace {

const McpContext& context() {
  static const ToolCatalog catalog(fake::fake_modules());
  static const McpContext instance{fake::fake_host(), catalog, {2, 0}};
  return instance;
}

class McpSessionCalls : public ::testing::Test {
 protected:
  McpSessionCalls() : session_(std::make_shared<McpSession>(context())) {
    fake::allow_held_calls(true);
    send(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":)"
         R"({"protocolVersion":"2025-11-25","capabilities":{}}})");
    send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  }
  ~McpSessionCalls() override {
    while (fake::release_oldest_held()) {
    }
  }

  void send(const std::string& text) {
    handle_message(*session_, text, [this](std::string answer) {
      std::lock_guard lock(mutex_);
      answers_.push_back(std::move(answer));
    });
  }
  void call_held(int id) {
    send(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
         R"(,"method":"tools/call","params":{"name":"fuzz_hold","arguments":{}}})");
  }
  // Answers to tools/call with `id` so far.
  int answers_to(int id) {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& answer : answers_) {
      if (answer.find("\"id\":" + std::to_string(id) + ",\"result\"") != std::string::npos) ++n;
    }
    return n;
  }

  std::shared_ptr<McpSession> session_;
  std::mutex mutex_;
  std::vector<std::string> answers_;
};

TEST_F(McpSessionCalls, ACallIsInFlightUntilItsAnswer) {
  call_held(1);
  ASSERT_EQ(fake::held_calls(), 1);
  EXPECT_TRUE(session_->busy());
  ASSERT_TRUE(fake::release_oldest_held());
  EXPECT_EQ(answers_to(1), 1);
  EXPECT_FALSE(session_->busy());
}

TEST_F(McpSessionCalls, AReusedRequestIdKeepsBothCallsInFlightUntilBothEnd) {
  call_held(7);
  call_held(7);
  ASSERT_EQ(fake::held_calls(), 2);
  ASSERT_TRUE(fake::release_oldest_held());
  EXPECT_EQ(answers_to(7), 1);
  EXPECT_TRUE(session_->busy()) << "the second call with id 7 still runs";
  EXPECT_FALSE(session_->wait_idle(std::chrono::milliseconds(1)));
  ASSERT_TRUE(fake::release_oldest_held());
  EXPECT_EQ(answers_to(7), 2);
  EXPECT_FALSE(session_->busy());
}

TEST_F(McpSessionCalls, CancellingAReusedIdCancelsEveryCallUnderIt) {
  call_held(3);
  call_held(3);
  call_held(4);
  send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})");
  EXPECT_EQ(fake::held_calls(), 1) << "only the call with id 4 is left";
  EXPECT_TRUE(session_->busy());
  ASSERT_TRUE(fake::release_oldest_held());
  EXPECT_EQ(answers_to(4), 1);
  EXPECT_FALSE(session_->busy());
}

}  // namespace
}  // namespace apflow::plugins::mcp
