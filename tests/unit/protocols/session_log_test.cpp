// MCP logging as a session's outlet receives it: nothing before setLevel, nothing below the
// level, messages kept (bounded) until an outlet is attached. (The rate limit depends on time,
// which tests do not measure.)
#include "mcp/session_log.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fake_host.h"

namespace apflow::plugins::mcp {
namespace {

class Collect final : public Outlet {
 public:
  explicit Collect(std::vector<std::string>& out) : out_(out) {}
  void send(const std::string& message_json) override { out_.push_back(message_json); }

 private:
  std::vector<std::string>& out_;
};

sdk::Json data(int n) {
  sdk::Json d = sdk::make_object();
  sdk::set(d, "n", n);
  return d;
}

TEST(SessionLog, LevelsAreMcpsSyslogNames) {
  EXPECT_EQ(parse_log_level("warning"), LogLevel::kWarning);
  EXPECT_EQ(parse_log_level("emergency"), LogLevel::kEmergency);
  EXPECT_FALSE(parse_log_level("warn").has_value());
  EXPECT_EQ(log_level_name(LogLevel::kNotice), "notice");
}

TEST(SessionLog, NothingBeforeSetLevelAndNothingBelowTheLevel) {
  std::vector<std::string> sent;
  SessionLog log(fake::fake_host());
  log.attach(std::make_shared<Collect>(sent));
  log.log(LogLevel::kEmergency, "t", data(1));
  EXPECT_TRUE(sent.empty());
  EXPECT_FALSE(log.set_level("loud"));
  ASSERT_TRUE(log.set_level("warning"));
  log.log(LogLevel::kInfo, "t", data(2));
  log.log(LogLevel::kError, "apflow.mcp", data(3));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0], R"({"jsonrpc":"2.0","method":"notifications/message","params":)"
                     R"({"level":"error","logger":"apflow.mcp","data":{"n":3}}})");
}

TEST(SessionLog, MessagesWaitForAnOutletKeepingTheLastHundredInOrder) {
  std::vector<std::string> sent;
  SessionLog log(fake::fake_host());
  ASSERT_TRUE(log.set_level("debug"));
  for (int i = 0; i < 150; ++i) log.log(LogLevel::kDebug, "t", data(i));
  log.attach(std::make_shared<Collect>(sent));
  ASSERT_EQ(sent.size(), 100u);
  EXPECT_NE(sent.front().find(R"("n":50)"), std::string::npos);
  EXPECT_NE(sent.back().find(R"("n":149)"), std::string::npos);
  log.detach();
  log.log(LogLevel::kDebug, "t", data(150));
  EXPECT_EQ(sent.size(), 100u) << "a detached outlet gets nothing more";
}

}  // namespace
}  // namespace apflow::plugins::mcp
