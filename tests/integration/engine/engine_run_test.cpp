// The engine running real trees on a real SQLite file: ordering, fan-in, failure policies,
// forests, cancellation, timeouts and re-execution.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "engine_fixture.h"

namespace apflow::testing {
namespace {

TEST_F(EngineTest, FanOutFanInInjectsResultsByDependencyId) {
  create(R"({"tasks":[{"name":"merge","id":"merge","dependencies":["a","b"],)"
         R"("params":{"executor_id":"aggregate_results_executor"}},)" +
         task("a", R"("parent_id":"merge")", R"({"n":1})") + "," +
         task("b", R"("parent_id":"merge")", R"({"n":2})") + "]}");
  auto out = run("merge");
  ASSERT_STREQ(out["status"].GetString(), "completed") << dump(out);
  EXPECT_EQ(out["result"]["result_count"].GetInt(), 2);
  EXPECT_EQ(out["result"]["results"]["a"]["inputs"]["n"].GetInt(), 1);
  EXPECT_EQ(out["result"]["results"]["b"]["inputs"]["n"].GetInt(), 2);
  EXPECT_DOUBLE_EQ(get("merge")["progress"].GetDouble(), 1.0);
}

TEST_F(EngineTest, DependentsReceiveResultsUnderTheDependencyId) {
  create(R"({"tasks":[)" + task("first") + "," +
         task("second", R"("dependencies":[{"id":"first"}])", R"({"own":true})") + "]}");
  run("second");  // pulls in `first`, which it waits for
  const auto second = get("second");
  EXPECT_TRUE(second["result"]["inputs"]["own"].GetBool());
  EXPECT_STREQ(second["result"]["inputs"]["first"]["task_id"].GetString(), "first");
}

TEST_F(EngineTest, ParentRunsAfterAllItsChildren) {
  create(R"({"tasks":[)" + task("root") + "," +
         task("slow", R"("parent_id":"root")", R"({"sleep_ms":150})") + "," +
         task("fast", R"("parent_id":"root")") + "]}");
  ASSERT_STREQ(run("root")["status"].GetString(), "completed");
  const auto done = events_of("task_completed");
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done.back().first, "root");
}

class SerialEngineTest : public EngineTest {
 protected:
  SerialEngineTest() : EngineTest(1) {}
};

TEST_F(SerialEngineTest, LowerPriorityNumberRunsFirst) {
  create(R"({"tasks":[)" + task("root") + "," + task("p3", R"("parent_id":"root","priority":3)") +
         "," + task("p0", R"("parent_id":"root","priority":0)") + "," +
         task("p2", R"("parent_id":"root","priority":2)") + "," +
         task("p1", R"("parent_id":"root","priority":1)") + "]}");
  ASSERT_STREQ(run("root")["status"].GetString(), "completed");
  std::vector<std::string> order;
  for (const auto& [name, e] : events_of("task_started")) order.push_back(name);
  EXPECT_EQ(order, (std::vector<std::string>{"p0", "p1", "p2", "p3", "root"}));
}

// Inline tasks take no slot: with the only slot held by a long task, an instant one still runs,
// once, and its dependent after it.
TEST_F(SerialEngineTest, InlineTasksRunWhileEverySlotIsTaken) {
  const std::string noop = R"("params":{"executor_id":"noop_executor"},"parent_id":"root")";
  create(R"({"tasks":[)" + task("root") + "," +
         task("long", R"("parent_id":"root","priority":0)", R"({"sleep_ms":20000})") +
         R"(,{"name":"quick","id":"quick","priority":1,)" + noop +
         R"(},{"name":"after","id":"after","priority":1,"dependencies":["quick"],)" + noop + "}]}");
  engine_->execute(parse(R"({"task_id":"root"})"));
  for (int i = 0; i < 500 && status("after") != "completed"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status("after"), "completed");
  EXPECT_EQ(status("quick"), "completed");
  EXPECT_EQ(get("quick")["attempt_count"].GetInt(), 1);
  EXPECT_EQ(status("long"), "in_progress");
  engine_->cancel(parse(R"({"task_ids":["root"]})"));
}

// A root (record_executor) over `tasks` children run by the inline noop_executor.
std::string inline_fan_out(int tasks) {
  std::string out = R"({"tasks":[)" + task("root");
  for (int i = 0; i < tasks; ++i) {
    const std::string id = "n" + std::to_string(i);
    out += R"(,{"name":")" + id + R"(","id":")" + id +
           R"(","parent_id":"root","params":{"executor_id":"noop_executor"}})";
  }
  return out + "]}";
}

// Small batches, so that a fan-out of inline tasks goes through the inline runner batch after
// batch: it runs one while the store writes the one before and claims the next itself.
class SmallBatchEngineTest : public EngineTest {
 protected:
  explicit SmallBatchEngineTest(uint32_t ops_size = 0, size_t batch_size = 100)
      : EngineTest(
            4, [batch_size](engine::EngineConfig& c) { c.batch_size = batch_size; }, ops_size) {}

  // Runs a fan-out of `tasks` inline tasks; expects every task started and completed once, the
  // root last.
  void expect_each_runs_once(int tasks) {
    create(inline_fan_out(tasks));
    ASSERT_STREQ(run("root")["status"].GetString(), "completed");
    std::map<std::string, int> started, completed;
    for (const auto& [type, id] : event_log()) {
      if (type == "task_started") ++started[id];
      if (type == "task_completed") ++completed[id];
    }
    EXPECT_EQ(started.size(), static_cast<size_t>(tasks + 1));
    EXPECT_EQ(completed.size(), static_cast<size_t>(tasks + 1));
    for (const auto& [id, times] : started) EXPECT_EQ(times, 1) << id << " started " << times;
    for (const auto& [id, times] : completed) EXPECT_EQ(times, 1) << id;
    EXPECT_EQ(events_of("task_completed").back().first, "root");
  }
};

TEST_F(SmallBatchEngineTest, AFanOutOfInlineTasksRunsEachOnceAndThenItsParent) {
  expect_each_runs_once(1500);
  EXPECT_EQ(get("n1499")["attempt_count"].GetInt(), 1);
}

// Inline tasks released while the runner is claiming batch after batch (dependents of tasks in
// its batches, created first so that they come before its place in claim order) still run,
// each once, before their parent.
TEST_F(SmallBatchEngineTest, InlineTasksReleasedBehindTheRunnersWalkStillRunOnce) {
  std::string tasks = R"({"tasks":[)" + task("root");
  for (int i = 0; i < 1500; i += 100) {
    tasks += R"(,{"name":"after)" + std::to_string(i) + R"(","id":"after)" + std::to_string(i) +
             R"(","parent_id":"root","dependencies":["n)" + std::to_string(i) +
             R"("],"params":{"executor_id":"noop_executor"}})";
  }
  for (int i = 0; i < 1500; ++i) {
    const std::string id = "n" + std::to_string(i);
    tasks += R"(,{"name":")" + id + R"(","id":")" + id +
             R"(","parent_id":"root","params":{"executor_id":"noop_executor"}})";
  }
  create(tasks + "]}");
  ASSERT_STREQ(run("root")["status"].GetString(), "completed");
  std::map<std::string, int> started;
  for (const auto& [type, id] : event_log()) {
    if (type == "task_started") ++started[id];
  }
  EXPECT_EQ(started.size(), 1516u);
  for (const auto& [id, times] : started) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(status("after1400"), "completed");
  EXPECT_EQ(events_of("task_completed").back().first, "root");
}

// With the default batch size the loop's own claim takes a first few inline tasks and hands
// them over; the runner claims the rest.
class DefaultBatchEngineTest : public SmallBatchEngineTest {
 protected:
  DefaultBatchEngineTest() : SmallBatchEngineTest(0, engine::EngineConfig{}.batch_size) {}
};

TEST_F(DefaultBatchEngineTest, AFanOutOfInlineTasksRunsEachOnce) {
  expect_each_runs_once(2500);
}

// A storage backend built for ABI 1.1 lacks claim_inline: the inline runner claims its batches
// with claim_tasks instead, and the fan-out runs the same.
class OldStoreEngineTest : public SmallBatchEngineTest {
 protected:
  OldStoreEngineTest() : SmallBatchEngineTest(APFLOW_STORAGE_OPS_V1_1_SIZE) {}
};

TEST_F(OldStoreEngineTest, AFanOutOfInlineTasksRunsEachOnceWithoutClaimInline) {
  expect_each_runs_once(500);
}

TEST_F(EngineTest, FailedRequiredDependencyFailsItsDependentsNamingIt) {
  create(R"({"tasks":[)" + task("root") + "," +
         task("broken", R"("parent_id":"root")", R"({"fail":"disk full"})") + "," +
         task("after", R"("parent_id":"root","dependencies":["broken"])") + "]}");
  auto out = run("root");
  EXPECT_STREQ(out["status"].GetString(), "failed");
  EXPECT_EQ(error("broken"), "disk full");
  EXPECT_NE(error("after").find("dependency 'broken' (broken) failed: disk full"),
            std::string::npos)
      << error("after");
  EXPECT_NE(error("root").find("child task"), std::string::npos) << error("root");
  EXPECT_EQ(events_of("tree_failed").size(), 1u);
  // The dependents the failure reached are named in their events, as the failed task is.
  std::vector<std::string> failed;
  for (const auto& [name, e] : events_of("task_failed")) failed.push_back(name);
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed, (std::vector<std::string>{"after", "broken", "root"}));
}

TEST_F(EngineTest, OptionalDependencyMayFail) {
  create(R"({"tasks":[)" + task("opt", "", R"({"fail":"nope"})") + "," +
         task("main", R"("dependencies":[{"id":"opt","required":false}])") + "]}");
  run("main");
  EXPECT_EQ(status("opt"), "failed");
  EXPECT_EQ(status("main"), "completed");
  EXPECT_FALSE(get("main")["result"]["inputs"].HasMember("opt"));
}

TEST_F(EngineTest, SkipPolicyCancelsDependentsAndContinuePolicyRunsThem) {
  create(R"({"failure_policy":"skip","tasks":[)" + task("bad", "", R"({"fail":"x"})") + "," +
         task("next", R"("dependencies":["bad"])") + "]}");
  run("next");
  EXPECT_EQ(status("bad"), "failed");
  EXPECT_EQ(status("next"), "cancelled");
  EXPECT_NE(error("next").find("skipped"), std::string::npos) << error("next");

  create(R"({"failure_policy":"continue","tasks":[)" + task("bad2", "", R"({"fail":"x"})") + "," +
         task("next2", R"("dependencies":["bad2"])") + "]}");
  run("next2");
  EXPECT_EQ(status("next2"), "completed");
}

// A tree with a failed task ended in failure, whatever else was cancelled in it (the cancelled
// root comes first in the tree).
TEST_F(EngineTest, ATreeWithAFailedAndACancelledTaskEndsFailed) {
  create(R"({"failure_policy":"skip","tasks":[)" + task("root") + "," +
         task("bad", R"("parent_id":"root")", R"({"fail":"x"})") + "," +
         task("next", R"("parent_id":"root","dependencies":["bad"])") + "]}");
  run("root");
  EXPECT_EQ(status("bad"), "failed");
  EXPECT_EQ(status("next"), "cancelled");
  EXPECT_EQ(status("root"), "cancelled");
  EXPECT_EQ(events_of("tree_failed").size(), 1u);
  EXPECT_TRUE(events_of("tree_cancelled").empty());
}

TEST_F(EngineTest, ForestRootsRunAndDependOnEachOther) {
  auto created = create(R"({"tasks":[)" + task("left") + "," +
                        task("right", R"("dependencies":["left"])") + "]}");
  EXPECT_EQ(created["root_task_ids"].Size(), 2u);
  auto out = run("right");  // pulls in `left`, from the other tree
  EXPECT_STREQ(out["status"].GetString(), "completed") << dump(out);
  EXPECT_EQ(status("left"), "completed");
  EXPECT_STREQ(get("right")["result"]["inputs"]["left"]["task_id"].GetString(), "left");
}

TEST_F(EngineTest, CancellingARunningTreeStopsTheExecutorAndEverythingUnderIt) {
  create(R"({"tasks":[)" + task("root") + "," +
         task("long", R"("parent_id":"root")", R"({"sleep_ms":20000})") + "," +
         task("later", R"("parent_id":"root","dependencies":["long"])") + "]}");
  engine_->execute(parse(R"({"task_id":"root"})"));
  for (int i = 0; i < 500 && status("long") != "in_progress"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(status("long"), "in_progress");
  const auto started = std::chrono::steady_clock::now();
  auto out = engine_->cancel(parse(R"({"task_ids":["root"],"error_message":"stop"})"));
  EXPECT_STREQ(out["results"][0]["status"].GetString(), "cancelled");
  for (int i = 0; i < 500 && events_of("tree_cancelled").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_EQ(status("root"), "cancelled");
  EXPECT_EQ(status("long"), "cancelled");
  EXPECT_EQ(status("later"), "cancelled");
  EXPECT_EQ(error("long"), "stop");
  EXPECT_EQ(events_of("tree_cancelled").size(), 1u);
  auto again = engine_->cancel(parse(R"({"task_ids":["root","nope"]})"));
  EXPECT_NE(std::string(again["results"][0]["message"].GetString()).find("already cancelled"),
            std::string::npos);
  EXPECT_STREQ(again["results"][1]["message"].GetString(), "Task nope not found");
}

TEST_F(EngineTest, TaskTimeoutFailsTheAttemptAndTheLastOneFailsTheTask) {
  create(R"({"tasks":[)" +
         task("slow", R"("timeout_ms":100,"max_attempts":2,"backoff_base_ms":10)",
              R"({"sleep_ms":20000})") +
         "]}");
  auto out = run("slow");
  EXPECT_STREQ(out["status"].GetString(), "failed");
  EXPECT_NE(error("slow").find("timed out after 100 ms"), std::string::npos) << error("slow");
  EXPECT_EQ(get("slow")["attempt_count"].GetInt(), 2);  // a timeout is worth one more try
}

TEST_F(EngineTest, ReexecutionRunsOnlyWhatFailed) {
  create(R"({"tasks":[)" + task("root") + "," + task("ok", R"("parent_id":"root")") + "," +
         task("flaky", R"("parent_id":"root")", R"({"fail":"first time"})") + "]}");
  EXPECT_STREQ(run("root")["status"].GetString(), "failed");
  engine_->update(parse(R"({"task_id":"flaky","inputs":{}})"));
  auto out = run("root");
  EXPECT_STREQ(out["status"].GetString(), "completed") << dump(out);
  EXPECT_EQ(get("ok")["attempt_count"].GetInt(), 1);     // kept its result
  EXPECT_EQ(get("flaky")["attempt_count"].GetInt(), 2);  // ran again
  EXPECT_TRUE(get("root")["error"].IsNull());
}

TEST_F(EngineTest, ReexecutionOfSelectedTasksRerunsThemAndWhatUsedTheirResults) {
  // root ─ a, b, c (c depends on a), d (d depends on c); e outside any of it.
  create(R"({"tasks":[)" + task("root") + "," + task("a", R"("parent_id":"root")") + "," +
         task("b", R"("parent_id":"root")") + "," +
         task("c", R"("parent_id":"root","dependencies":["a"])") + "," +
         task("d", R"("parent_id":"root","dependencies":["c"])") + "," +
         task("e", R"("parent_id":"root")") + "]}");
  EXPECT_STREQ(run("root")["status"].GetString(), "completed");
  auto out = engine_->execute(parse(R"({"task_id":"root","task_ids":["c"],"wait":true})"));
  EXPECT_STREQ(out["status"].GetString(), "completed") << dump(out);
  EXPECT_EQ(out["queued"].GetInt(), 3) << dump(out);  // c, d (used c's result) and root
  for (const char* kept : {"a", "b", "e"}) EXPECT_EQ(get(kept)["attempt_count"].GetInt(), 1);
  for (const char* again : {"c", "d", "root"}) EXPECT_EQ(get(again)["attempt_count"].GetInt(), 2);

  try {
    engine_->execute(parse(R"({"task_id":"c","task_ids":["a"]})"));
    FAIL() << "a task outside the executed part was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "task 'a' is not part of the tree under 'c'; task_ids must name tasks inside "
                 "the part being executed");
  }
}

TEST_F(EngineTest, ExecutingARunningTreeIsRefused) {
  create(R"({"tasks":[)" + task("busy", "", R"({"sleep_ms":20000})") + "]}");
  engine_->execute(parse(R"({"task_id":"busy"})"));
  try {
    engine_->execute(parse(R"({"task_id":"busy"})"));
    FAIL() << "a second execution was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TASK_ALREADY_RUNNING");
    EXPECT_STREQ(e.what(),
                 "Task tree busy is already running. Concurrent execution of the same task tree "
                 "is not allowed.");
  }
  engine_->cancel(parse(R"({"task_ids":["busy"]})"));
}

TEST_F(EngineTest, UnknownExecutorFailsTheTaskListingTheAvailableOnes) {
  create(R"({"tasks":[{"name":"x","id":"x","params":{"executor_id":"nope_executor"}}]})");
  run("x");
  EXPECT_NE(error("x").find("Executor 'nope_executor' could not be loaded for task x; available "
                            "executors: "),
            std::string::npos)
      << error("x");
  EXPECT_NE(error("x").find("record_executor"), std::string::npos);
}

TEST_F(EngineTest, ProgressIsPersistedAndRolledUpToParents) {
  create(R"({"tasks":[)" + task("root") + "," +
         task("child", R"("parent_id":"root")", R"({"sleep_ms":400,"steps":4})") + "]}");
  run("root");
  EXPECT_GE(events_of("task_progress").size(), 3u);
  EXPECT_DOUBLE_EQ(get("root")["progress"].GetDouble(), 1.0);
  EXPECT_DOUBLE_EQ(get("child")["progress"].GetDouble(), 1.0);
}

// echo_executor closes its input schema (additionalProperties: false): a dependency's result
// under the dependency's id would make it refuse every input, so it is not injected there.
TEST_F(EngineTest, AnExecutorWithAClosedSchemaStillRunsAfterItsDependencies) {
  create(R"({"tasks":[)" + task("first") +
         R"(,{"name":"strict","id":"strict","dependencies":["first"],)"
         R"("params":{"executor_id":"echo_executor"},"inputs":{"message":"hi"}}]})");
  run("strict");
  EXPECT_EQ(status("first"), "completed");
  ASSERT_EQ(status("strict"), "completed") << error("strict");
  EXPECT_STREQ(get("strict")["result"]["echo"].GetString(), "hi");
}

// A task's last progress report and its completion can reach the scheduler together; the
// report is then stale and must neither follow task_completed nor lower the parent's progress.
TEST_F(EngineTest, NoProgressEventFollowsATasksCompletion) {
  std::string tasks = task("root");
  for (int i = 0; i < 8; ++i) {
    const std::string id = "c" + std::to_string(i);
    tasks += "," + task(id, R"("parent_id":"root")", R"({"steps":50})");
  }
  create(R"({"tasks":[)" + tasks + "]}");
  run("root");
  std::set<std::string> completed;
  for (const auto& [type, id] : event_log()) {
    if (type == "task_completed") completed.insert(id);
    if (type == "task_progress") {
      EXPECT_EQ(completed.count(id), 0u) << id << " after completing";
    }
  }
  EXPECT_EQ(completed.size(), 9u);
  EXPECT_DOUBLE_EQ(get("root")["progress"].GetDouble(), 1.0);
}

}  // namespace
}  // namespace apflow::testing
