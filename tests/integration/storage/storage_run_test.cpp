// Running: queue, claim, finish, leases and resets through the C ops table.
#include "storage_fixture.h"

namespace apflow::testing {
namespace {

using Ops = apflow_storage_ops;
using V = std::vector<std::string>;

class Run : public StoreTest {};

TEST_F(Run, QueueCountsQueuedAndReadyTasks) {
  create(task("a") + "," + task("b") + "," + task("done", R"("status":"completed")"),
         edge("b", "a"));
  // A repeated id is queued and counted once.
  auto r = queue(R"("a","b","a","done","missing")");
  EXPECT_EQ(r["queued"].GetInt(), 2);
  EXPECT_EQ(r["ready"].GetInt(), 1);
  EXPECT_EQ(r["changed"].Size(), 0u);
  EXPECT_EQ(row("b")["blockers"].GetInt(), 1);
  EXPECT_TRUE(row("a")["queued"].GetBool());
  EXPECT_FALSE(row("done")["queued"].GetBool());
}

TEST_F(Run, ClaimTakesPriorityThenInsertionOrder) {
  create(task("low", R"("priority":3)") + "," + task("urgent1", R"("priority":0)") + "," +
         task("high", R"("priority":1)") + "," + task("urgent2", R"("priority":0)") + "," +
         task("idle", R"("priority":0)"));
  queue(R"("low","urgent1","high","urgent2")");
  EXPECT_EQ(claim("n1", 2), (V{"urgent1", "urgent2"}));
  EXPECT_EQ(claim("n1", 10), (V{"high", "low"}));
  EXPECT_EQ(claim("n1", 10), V{});
}

TEST_F(Run, ClaimSetsStatusLeaseAndAttempt) {
  create(task("a"));
  queue(R"("a")");
  auto r =
      call(&Ops::claim_tasks, R"({"node":"n1","limit":5,"lease_ms":3000,"now_ms":1790000000000})");
  ASSERT_EQ(r["tasks"].Size(), 1u);
  const auto& t = r["tasks"][0];
  EXPECT_EQ(str(t["status"]), "in_progress");
  EXPECT_EQ(str(t["started_at"]), "2026-09-21T14:13:20.000Z");
  EXPECT_EQ(t["attempt_count"].GetInt(), 1);
  EXPECT_EQ(str(t["lease_owner"]), "n1");
  EXPECT_EQ(t["lease_expires_at"].GetInt64(), 1790000003000);
  EXPECT_TRUE(t["dependency_results"].ObjectEmpty());
  EXPECT_EQ(status("a"), "in_progress");
}

TEST_F(Run, ClaimCarriesTheResultsOfDependencies) {
  create(task("a") + "," + task("b") + "," + task("c") + "," + task("kid"),
         edge("c", "a") + "," + edge("c", "b", "optional") + "," + edge("c", "kid", "child"));
  queue(R"("a","b","kid","c")");
  EXPECT_EQ(claim("n1", 3), (V{"a", "b", "kid"}));
  finish("n1", R"({"id":"a","status":"completed","result":{"x":1}},)"
               R"({"id":"b","status":"failed","error":"nope"},{"id":"kid","status":"completed"})");
  auto r = call(&Ops::claim_tasks, R"({"node":"n1","limit":1,"now_ms":5})");
  ASSERT_EQ(r["tasks"].Size(), 1u);
  const auto& deps = r["tasks"][0]["dependency_results"];
  EXPECT_EQ(deps.MemberCount(), 2u);
  EXPECT_EQ(str(deps["a"]["status"]), "completed");
  EXPECT_EQ(deps["a"]["result"]["x"].GetInt(), 1);
  EXPECT_EQ(str(deps["a"]["name"]), "task a");
  EXPECT_EQ(str(deps["b"]["status"]), "failed");
  EXPECT_TRUE(deps["b"]["result"].IsNull());
  EXPECT_FALSE(deps.HasMember("kid"));
}

TEST_F(Run, CompletionReleasesDependentsIncludingFanIn) {
  create(task("a") + "," + task("b") + "," + task("join"),
         edge("join", "a") + "," + edge("join", "b"));
  queue(R"("a","b","join")");
  EXPECT_EQ(claim("n1", 10), (V{"a", "b"}));
  auto r = finish("n1", R"({"id":"a","status":"completed","result":1})");
  EXPECT_EQ(str(r["finished"][0]), "a");
  EXPECT_EQ(row("join")["blockers"].GetInt(), 1);
  EXPECT_EQ(claim("n1", 10), V{});
  finish("n1", R"({"id":"b","status":"completed"})");
  EXPECT_EQ(claim("n1", 10), V{"join"});
  auto a = row("a");
  EXPECT_EQ(str(a["status"]), "completed");
  EXPECT_EQ(a["result"].GetInt(), 1);
  EXPECT_EQ(a["progress"].GetDouble(), 1.0);
  EXPECT_TRUE(a["lease_owner"].IsNull());
  EXPECT_TRUE(a["lease_expires_at"].IsNull());
  EXPECT_FALSE(a["queued"].GetBool());
  EXPECT_TRUE(a["completed_at"].IsString());
}

TEST_F(Run, CompletionDeletesTheCheckpointFailureKeepsIt) {
  create(task("ok") + "," + task("bad"));
  queue(R"("ok","bad")");
  claim("n1", 2);
  call(&Ops::save_checkpoint, R"({"task_id":"ok","data":{"at":3}})");
  call(&Ops::save_checkpoint, R"({"task_id":"bad","data":{"at":4}})");
  finish("n1", R"({"id":"ok","status":"completed"},{"id":"bad","status":"failed","error":"x",)"
               R"("progress":0.5,"token_usage":{"total":9}})");
  EXPECT_FALSE(call(&Ops::load_checkpoint, R"({"task_id":"ok"})").HasMember("data"));
  EXPECT_EQ(call(&Ops::load_checkpoint, R"({"task_id":"bad"})")["data"]["at"].GetInt(), 4);
  auto bad = row("bad");
  EXPECT_EQ(bad["progress"].GetDouble(), 0.5);
  EXPECT_EQ(bad["token_usage"]["total"].GetInt(), 9);
  EXPECT_EQ(str(bad["error"]), "x");
}

TEST_F(Run, FinishesFromAnotherNodeOrUnclaimedTasksAreStale) {
  create(task("a") + "," + task("idle"));
  queue(R"("a")");
  claim("n1", 1);
  auto r = finish("n2", R"({"id":"a","status":"completed"},{"id":"idle","status":"completed"},)"
                        R"({"id":"ghost","status":"failed"})");
  EXPECT_EQ(r["finished"].Size(), 0u);
  EXPECT_EQ(r["stale"].Size(), 3u);
  EXPECT_EQ(status("a"), "in_progress");
  EXPECT_EQ(status("idle"), "pending");
  auto twice = finish("n1", R"({"id":"a","status":"completed"},{"id":"a","status":"failed"})");
  EXPECT_EQ(twice["finished"].Size(), 1u);
  EXPECT_EQ(twice["stale"].Size(), 1u);
  EXPECT_EQ(status("a"), "completed");
  EXPECT_EQ(finish("n1", R"({"id":"a","status":"failed"})")["stale"].Size(), 1u);
  EXPECT_EQ(
      attempt(&Ops::finish_tasks, R"({"node":"n1","results":[{"id":"a","status":"odd"}]})").code,
      "STORAGE_INVALID_REQUEST");
}

TEST_F(Run, LeasesAreRenewedOnlyByTheirHolder) {
  create(task("a") + "," + task("b"));
  queue(R"("a","b")");
  claim("n1", 1, 1000, 100);
  claim("n2", 1, 1000, 100);
  auto r = call(&Ops::renew_leases,
                R"({"node":"n1","ids":["b","a","zz"],"lease_ms":500,"now_ms":1050})");
  EXPECT_EQ(r["renewed"].Size(), 1u);
  EXPECT_EQ(str(r["renewed"][0]), "a");
  EXPECT_EQ(row("a")["lease_expires_at"].GetInt(), 1550);
  EXPECT_EQ(row("b")["lease_expires_at"].GetInt(), 1100);
}

// How a stopping node hands its tasks back at once: a lease of 0 ms from the past, then expiry.
TEST_F(Run, ALeaseRenewedToThePastExpiresAtOnce) {
  create(task("a"));
  queue(R"("a")");
  claim("n1", 1, 1000, 60000);
  call(&Ops::renew_leases, R"({"node":"n1","ids":["a"],"lease_ms":0,"now_ms":1999})");
  auto r = call(&Ops::expire_leases, R"({"now_ms":2000})");
  ASSERT_EQ(r["expired"].Size(), 1u);
  EXPECT_EQ(claim("n2", 1, 2001), V{"a"});
}

TEST_F(Run, ExpiredLeasesReturnTasksToTheQueue) {
  create(task("a", R"("task_tree_id":"T")"));
  queue(R"("a")");
  claim("n1", 1, 1000, 100);
  EXPECT_EQ(call(&Ops::expire_leases, R"({"now_ms":1100})")["expired"].Size(), 0u);
  auto r = call(&Ops::expire_leases, R"({"now_ms":1101})");
  ASSERT_EQ(r["expired"].Size(), 1u);
  EXPECT_EQ(str(r["expired"][0]["id"]), "a");
  EXPECT_EQ(str(r["expired"][0]["task_tree_id"]), "T");
  EXPECT_EQ(r["expired"][0]["attempt_count"].GetInt(), 1);
  auto a = row("a");
  EXPECT_EQ(str(a["status"]), "pending");
  EXPECT_TRUE(a["queued"].GetBool());
  EXPECT_TRUE(a["lease_owner"].IsNull());
  // The old holder's late result is stale; the task runs again as a second attempt.
  EXPECT_EQ(finish("n1", R"({"id":"a","status":"completed"})")["stale"].Size(), 1u);
  auto again = call(&Ops::claim_tasks, R"({"node":"n2","limit":1,"now_ms":2000})");
  EXPECT_EQ(again["tasks"][0]["attempt_count"].GetInt(), 2);
}

TEST_F(Run, ResetClearsExecutionStateAndRunsAgain) {
  create(task("a"));
  run_to("a", "failed", "boom");
  EXPECT_EQ(queue(R"("a")")["queued"].GetInt(), 0);
  auto r = queue(R"("a")", true);
  EXPECT_EQ(r["queued"].GetInt(), 1);
  EXPECT_EQ(r["ready"].GetInt(), 1);
  auto a = row("a");
  EXPECT_EQ(str(a["status"]), "pending");
  EXPECT_TRUE(a["error"].IsNull());
  EXPECT_TRUE(a["result"].IsNull());
  EXPECT_TRUE(a["started_at"].IsNull());
  EXPECT_TRUE(a["completed_at"].IsNull());
  EXPECT_EQ(a["progress"].GetDouble(), 0.0);
  EXPECT_EQ(claim("n1", 1), V{"a"});
}

TEST_F(Run, ResetRefusesARunningTaskAndChangesNothing) {
  create(task("a") + "," + task("b"));
  run_to("b", "completed");
  queue(R"("a")");
  claim("n1", 1);
  auto r = attempt(&Ops::queue_tasks, R"({"ids":["b","a"],"reset":true})");
  EXPECT_EQ(r.code, "TASK_RUNNING");
  EXPECT_NE(r.message.find("'a'"), std::string::npos);
  EXPECT_EQ(status("b"), "completed");
}

// A whole tree is queued by its id: every task of it and no other, with the same counts and
// readiness as when its ids are listed.
TEST_F(Run, QueueingATreeQueuesEveryTaskOfItAndNoOther) {
  create(task("root", R"("task_tree_id":"root")") + "," +
             task("a", R"("task_tree_id":"root","parent_id":"root")") + "," +
             task("b", R"("task_tree_id":"root","parent_id":"root")") + "," +
             task("done", R"("task_tree_id":"root","status":"completed")") + "," +
             task("other", R"("task_tree_id":"other")"),
         edge("root", "a", "child") + "," + edge("root", "b", "child") + "," + edge("b", "a") +
             "," + edge("a", "done"));
  auto r = call(&Ops::queue_tasks, R"({"task_tree_id":"root"})");
  EXPECT_EQ(r["queued"].GetInt(), 3);
  EXPECT_EQ(r["ready"].GetInt(), 1);
  EXPECT_EQ(row("root")["blockers"].GetInt(), 2);
  EXPECT_EQ(row("b")["blockers"].GetInt(), 1);
  EXPECT_EQ(row("a")["blockers"].GetInt(), 0);  // its dependency is already completed
  EXPECT_FALSE(row("done")["queued"].GetBool());
  EXPECT_FALSE(row("other")["queued"].GetBool());
  EXPECT_EQ(claim("n1", 10), V{"a"});
}

// A task already failed settles its waiting dependents when their tree is queued, as when their
// ids are listed.
TEST_F(Run, QueueingATreeSettlesWhatWaitsOnAFailedTask) {
  create(task("gone", R"("task_tree_id":"elsewhere")") + "," +
             task("root", R"("task_tree_id":"root")") + "," +
             task("a", R"("task_tree_id":"root","parent_id":"root")"),
         edge("root", "a", "child") + "," + edge("a", "gone"));
  run_to("gone", "failed", "disk full");
  auto r = call(&Ops::queue_tasks, R"({"task_tree_id":"root"})");
  EXPECT_EQ(r["ready"].GetInt(), 0);
  EXPECT_EQ(status("a"), "failed");
  EXPECT_NE(error("a").find("dependency 'task gone' (gone) failed: disk full"), std::string::npos)
      << error("a");
  EXPECT_EQ(status("root"), "failed");
  EXPECT_EQ(r["changed"].Size(), 2u);
}

// Reset and queued in one pass, a whole tree counts what its tasks wait for as the reset leaves
// it: a completed task of the tree runs again, so its dependents wait for it; a completed task
// of another tree stays done.
TEST_F(Run, QueueingATreeWithResetWaitsForWhatRunsAgain) {
  create(task("outside", R"("task_tree_id":"other")") + "," + task("a", R"("task_tree_id":"t")") +
             "," + task("b", R"("task_tree_id":"t")"),
         edge("b", "a") + "," + edge("a", "outside"));
  run_to("outside", "completed");
  run_to("a", "completed");
  auto r = call(&Ops::queue_tasks, R"({"task_tree_id":"t","reset":true})");
  EXPECT_EQ(r["queued"].GetInt(), 2);
  EXPECT_EQ(r["ready"].GetInt(), 1);
  EXPECT_EQ(status("a"), "pending");
  EXPECT_TRUE(row("a")["completed_at"].IsNull());
  EXPECT_EQ(row("a")["blockers"].GetInt(), 0);
  EXPECT_EQ(row("b")["blockers"].GetInt(), 1);
  EXPECT_EQ(status("outside"), "completed");
  EXPECT_EQ(claim("n1", 10), V{"a"});
}

// A large tree has its edges counted on a reader's connection while the writer marks it: the
// counts are the same, the one task that waits on a failed task fails, and its parent with it.
TEST_F(Run, QueueingALargeTreeCountsWhatEachTaskWaitsFor) {
  std::string tasks =
      task("gone", R"("task_tree_id":"elsewhere")") + "," + task("root", R"("task_tree_id":"big")");
  std::string edges;
  for (int i = 0; i < 1200; ++i) {
    const std::string id = "k" + std::to_string(i);
    tasks += "," + task(id, R"("task_tree_id":"big","parent_id":"root")");
    edges += (edges.empty() ? "" : ",") + edge("root", id, "child");
  }
  edges += "," + edge("k7", "k6") + "," + edge("k9", "gone");
  create(tasks, edges);
  run_to("gone", "failed", "disk full");
  auto r = call(&Ops::queue_tasks, R"({"task_tree_id":"big","reset":true})");
  EXPECT_EQ(r["queued"].GetInt(), 1201);
  EXPECT_EQ(r["ready"].GetInt(), 1198);  // all but the root, k7 (waits on k6) and k9
  EXPECT_EQ(row("k7")["blockers"].GetInt(), 1);
  EXPECT_EQ(status("k9"), "failed");
  EXPECT_NE(error("k9").find("dependency 'task gone' (gone) failed"), std::string::npos);
  EXPECT_EQ(status("root"), "failed");  // its child k9 failed
  EXPECT_EQ(row("k0")["blockers"].GetInt(), 0);
}

TEST_F(Run, QueueingATreeWithResetRefusesARunningTaskAndChangesNothing) {
  create(task("a", R"("task_tree_id":"t")") + "," + task("b", R"("task_tree_id":"t")"));
  run_to("b", "completed");
  queue(R"("a")");
  claim("n1", 1);
  auto r = attempt(&Ops::queue_tasks, R"({"task_tree_id":"t","reset":true})");
  EXPECT_EQ(r.code, "TASK_RUNNING");
  EXPECT_NE(r.message.find("task 'a' is in_progress"), std::string::npos) << r.message;
  EXPECT_EQ(status("b"), "completed");
}

TEST_F(Run, QueueTakesEitherIdsOrATree) {
  for (const char* request : {R"({"ids":["a"],"task_tree_id":"t"})", R"({"reset":true})"}) {
    auto r = attempt(&Ops::queue_tasks, request);
    EXPECT_EQ(r.code, "STORAGE_INVALID_REQUEST") << request;
    EXPECT_NE(r.message.find("either 'ids'"), std::string::npos) << r.message;
  }
}

TEST_F(Run, FinishCanClaimWhatItMadeReadyInTheSameTransaction) {
  create(task("a") + "," + task("b") + "," + task("c"), edge("b", "a") + "," + edge("c", "b"));
  queue(R"("a","b","c")");
  EXPECT_EQ(claim("n1", 1), V{"a"});
  auto r = call(&Ops::finish_tasks,
                R"({"node":"n1","results":[{"id":"a","status":"completed","result":7}],)"
                R"("claim":{"limit":5,"lease_ms":1000,"now_ms":5000,"fields":["name"]}})");
  EXPECT_EQ(str(r["finished"][0]), "a");
  ASSERT_EQ(r["tasks"].Size(), 1u);
  const auto& b = r["tasks"][0];
  EXPECT_EQ(str(b["id"]), "b");
  EXPECT_EQ(str(b["name"]), "task b");
  EXPECT_FALSE(b.HasMember("status"));
  EXPECT_EQ(b["dependency_results"]["a"]["result"].GetInt(), 7);
  auto stored = row("b");
  EXPECT_EQ(str(stored["status"]), "in_progress");
  EXPECT_EQ(str(stored["lease_owner"]), "n1");
  EXPECT_EQ(stored["lease_expires_at"].GetInt64(), 6000);
  EXPECT_EQ(status("c"), "pending");

  auto bad = attempt(&Ops::finish_tasks, R"({"node":"n1","results":[],"claim":{"limits":1}})");
  EXPECT_EQ(bad.code, "STORAGE_INVALID_REQUEST");
}

}  // namespace
}  // namespace apflow::testing
