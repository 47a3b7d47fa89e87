// `apflow run` against a fake host: the engine's modules are scripted and its events published by
// the test, so the command's order of calls, output and exit codes can be checked.
#include "cli/run_command.h"

#include <apflow/sdk/error.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "fake_host.h"

namespace apflow::plugins::cli {
namespace {

std::string event(const std::string& type, const std::string& id, const std::string& extra = "") {
  return R"({"type":")" + type + R"(","task_id":")" + id +
         R"(","task_tree_id":"r","timestamp":"2030-01-01T12:00:00Z")" + extra + "}";
}

// A tree r with children a and b whose statuses the scripted events move.
class RunCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    // One file per test: ctest runs the tests of this binary in parallel processes.
    file_ =
        std::filesystem::temp_directory_path() /
        ("apflow_cli_run_command_test_" +
         std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".yaml");
    std::ofstream(file_) << "- id: r\n  name: pipeline\n- name: fetch\n  parent_id: r\n";
    host_.add_module("apflow.task.create_tree", [](const sdk::Json&) {
      return sdk::parse_json(R"({"root_task_id":"r","root_task_ids":["r"],"task_count":3,
                                 "task_ids":["r","a","b"]})");
    });
    host_.add_module("apflow.task.tree", [this](const sdk::Json&) { return tree(); });
    host_.add_module("apflow.task.cancel", [this](const sdk::Json&) {
      status_ = {{"r", "cancelled"}, {"a", "cancelled"}, {"b", "cancelled"}};
      host_.publish(event("tree_cancelled", "r"));
      return sdk::parse_json(R"({"cancelled":3})");
    });
  }
  void TearDown() override { std::filesystem::remove(file_); }

  sdk::Json tree() {
    auto row = [this](const std::string& id, const std::string& name) {
      return R"({"task":{"id":")" + id + R"(","name":")" + name + R"(","status":")" + status_[id] +
             R"(","result":)" + (status_[id] == "completed" ? R"({"ok":true})" : "null") +
             R"(},"children":[]})";
    };
    const std::string root = row("r", "pipeline");
    return sdk::parse_json(root.substr(0, root.size() - 3) + "[" + row("a", "fetch") + "," +
                           row("b", "parse") + "]}");
  }

  // Execute publishes `events` (completing the statuses) before it returns.
  void on_execute(std::vector<std::string> events, std::map<std::string, std::string> final) {
    host_.add_module("apflow.task.execute", [this, events, final](const sdk::Json&) {
      status_ = final;
      for (const auto& e : events) host_.publish(e);
      if (stop_on_execute_) stop_ = true;
      return sdk::parse_json(R"({"task_id":"r","status":"in_progress"})");
    });
  }

  int run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", file_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    const int code = run_tree_file(ModuleCaller(sdk::Host(host_.api()), stop_), args);
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    out_ = out.str();
    err_ = err.str();
    return code;
  }

  std::filesystem::path file_;
  testing::FakeHost host_;
  std::map<std::string, std::string> status_ = {
      {"r", "pending"}, {"a", "pending"}, {"b", "pending"}};
  std::atomic<bool> stop_{false};
  bool stop_on_execute_ = false;
  std::string out_, err_;
};

const std::map<std::string, std::string> kAllCompleted = {
    {"r", "completed"}, {"a", "completed"}, {"b", "completed"}};

TEST_F(RunCommand, SubscribesBeforeExecutingAndPrintsTheTreesAsJson) {
  on_execute(
      {event("task_started", "a"), event("task_completed", "a"), event("task_completed", "b"),
       event("task_completed", "r"), event("tree_completed", "r")},
      kAllCompleted);
  EXPECT_EQ(run({"--format", "json"}), 0) << err_;
  const auto log = host_.log();
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0].rfind("call apflow.task.create_tree {\"tasks\":[{\"id\":\"r\"", 0), 0u)
      << log[0];
  EXPECT_EQ(log[1], "subscribe r");
  EXPECT_EQ(log[2], R"(call apflow.task.tree {"task_id":"r"})");
  EXPECT_EQ(log[3], R"(call apflow.task.execute {"task_id":"r"})");
  EXPECT_EQ(log[4], R"(call apflow.task.tree {"task_id":"r"})");
  const sdk::Json printed = sdk::parse_json(out_);
  ASSERT_TRUE(printed["trees"].IsArray());
  EXPECT_EQ(sdk::to_json(printed["trees"][0]), sdk::to_json(tree()));
}

TEST_F(RunCommand, AFailedTaskExits1AndTheTableSaysWhich) {
  on_execute({event("task_completed", "a"), event("task_failed", "b", R"(,"error":"boom")"),
              event("tree_failed", "r", R"(,"error":"boom")")},
             {{"r", "failed"}, {"a", "completed"}, {"b", "failed"}});
  EXPECT_EQ(run({"--format", "table"}), 1);
  EXPECT_NE(out_.find("  parse   failed"), std::string::npos) << out_;
  EXPECT_NE(out_.find("1 completed, 2 failed"), std::string::npos) << out_;
  EXPECT_NE(err_.find("boom"), std::string::npos) << err_;
}

TEST_F(RunCommand, CtrlCCancelsTheTreesAndExits130) {
  on_execute({event("task_started", "a")}, {{"r", "pending"}, {"a", "in_progress"}});
  stop_on_execute_ = true;
  EXPECT_EQ(run({"--format", "table"}), 130);
  const auto log = host_.log();
  EXPECT_NE(std::find(log.begin(), log.end(),
                      R"(call apflow.task.cancel {"task_ids":["r"],)"
                      R"x("error_message":"Cancelled from the command line (Ctrl-C)"})x"),
            log.end());
  EXPECT_NE(err_.find("cancelling 1 task tree(s)"), std::string::npos) << err_;
  EXPECT_NE(out_.find("3 cancelled"), std::string::npos) << out_;
}

TEST_F(RunCommand, ARefusedTreeIsNotWatchedForever) {
  host_.add_module("apflow.task.execute", [](const sdk::Json&) -> sdk::Json {
    throw sdk::Error("TASK_NOT_FOUND", "no task r");
  });
  EXPECT_EQ(run({"--format", "json"}), 1);
  EXPECT_NE(err_.find("error: TASK_NOT_FOUND: no task r"), std::string::npos) << err_;
}

TEST_F(RunCommand, AnInvalidTreeExitsWithItsCodeBeforeAnySubscription) {
  host_.add_module("apflow.task.create_tree", [](const sdk::Json&) -> sdk::Json {
    throw sdk::Error("SCHEMA_VALIDATION_ERROR", "invalid input",
                     R"({"errors":[{"field":"/tasks/0/name","code":"required","message":"m"}]})");
  });
  EXPECT_EQ(run({}), 45);
  EXPECT_EQ(host_.log().size(), 1u);
  EXPECT_NE(err_.find("(field: /tasks/0/name)"), std::string::npos) << err_;
}

}  // namespace
}  // namespace apflow::plugins::cli
