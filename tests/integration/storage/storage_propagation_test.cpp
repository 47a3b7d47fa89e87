// Propagation: failure policies, optional and child edges, transitive failures, cancellation
// and tasks queued behind a dependency that already failed.
#include <map>

#include "storage_fixture.h"

namespace apflow::testing {
namespace {

using Ops = apflow_storage_ops;
using V = std::vector<std::string>;

class Propagation : public StoreTest {};

// {id: status} of the "changed" list of a response.
std::map<std::string, std::string> changed(const rapidjson::Document& r) {
  std::map<std::string, std::string> out;
  for (const auto& c : r["changed"].GetArray()) out[str(c["id"])] = str(c["status"]);
  return out;
}

TEST_F(Propagation, AFailedRequiredDependencyFailsDependentsTransitively) {
  create(task("a", R"("task_tree_id":"T")") + "," + task("b", R"("task_tree_id":"T")") + "," +
             task("c", R"("task_tree_id":"T")") + "," + task("free"),
         edge("b", "a") + "," + edge("c", "b"));
  queue(R"("a","b","c","free")");
  EXPECT_EQ(claim("n1", 10), (V{"a", "free"}));
  auto r = finish("n1", R"({"id":"a","status":"failed","error":"boom"})");
  ASSERT_EQ(r["changed"].Size(), 2u);
  EXPECT_EQ(str(r["changed"][0]["id"]), "b");
  EXPECT_EQ(str(r["changed"][0]["status"]), "failed");
  EXPECT_EQ(str(r["changed"][0]["task_tree_id"]), "T");
  EXPECT_EQ(str(r["changed"][1]["id"]), "c");
  EXPECT_EQ(error("b"), "dependency 'task a' (a) failed: boom");
  EXPECT_EQ(error("c"), "dependency 'task b' (b) failed: dependency 'task a' (a) failed: boom");
  EXPECT_FALSE(row("c")["queued"].GetBool());
  EXPECT_TRUE(row("c")["completed_at"].IsString());
  EXPECT_EQ(status("free"), "in_progress");
}

TEST_F(Propagation, SkipPolicyCancelsAndTheSkipPropagatesLikeAFailure) {
  create(task("a") + "," + task("b", R"("failure_policy":"skip")") + "," + task("c"),
         edge("b", "a") + "," + edge("c", "b"));
  queue(R"("a","b","c")");
  claim("n1", 1);
  auto r = finish("n1", R"({"id":"a","status":"failed","error":"boom"})");
  EXPECT_EQ(changed(r), (std::map<std::string, std::string>{{"b", "cancelled"}, {"c", "failed"}}));
  EXPECT_EQ(error("b"), "skipped: dependency 'task a' (a) failed");
  EXPECT_EQ(error("c"), "dependency 'task b' (b) failed: skipped: dependency 'task a' (a) failed");
}

TEST_F(Propagation, ContinuePolicyAndOptionalEdgesRunAfterAFailure) {
  create(task("a") + "," + task("cont", R"("failure_policy":"continue")") + "," + task("opt"),
         edge("cont", "a") + "," + edge("opt", "a", "optional"));
  queue(R"("a","cont","opt")");
  claim("n1", 1);
  auto r = finish("n1", R"({"id":"a","status":"failed","error":"boom"})");
  EXPECT_EQ(r["changed"].Size(), 0u);
  EXPECT_EQ(claim("n1", 10), (V{"cont", "opt"}));
}

TEST_F(Propagation, AFailedChildFailsItsParent) {
  create(task("parent") + "," + task("kid", R"("parent_id":"parent")"),
         edge("parent", "kid", "child"));
  queue(R"("parent","kid")");
  EXPECT_EQ(claim("n1", 10), V{"kid"});
  finish("n1", R"({"id":"kid","status":"failed","error":"boom"})");
  EXPECT_EQ(status("parent"), "failed");
  EXPECT_EQ(error("parent"), "child task 'task kid' (kid) failed: boom");
}

TEST_F(Propagation, ACompletedChildReleasesItsParent) {
  create(task("parent") + "," + task("kid1") + "," + task("kid2"),
         edge("parent", "kid1", "child") + "," + edge("parent", "kid2", "child"));
  queue(R"("parent","kid1","kid2")");
  EXPECT_EQ(claim("n1", 10), (V{"kid1", "kid2"}));
  finish("n1", R"({"id":"kid1","status":"completed"},{"id":"kid2","status":"completed"})");
  EXPECT_EQ(claim("n1", 10), V{"parent"});
}

TEST_F(Propagation, ADiamondFailsItsJoinOnce) {
  create(task("a") + "," + task("b") + "," + task("c") + "," + task("d"),
         edge("b", "a") + "," + edge("c", "a") + "," + edge("d", "b") + "," + edge("d", "c"));
  queue(R"("a","b","c","d")");
  claim("n1", 1);
  auto r = finish("n1", R"({"id":"a","status":"failed","error":"boom"})");
  EXPECT_EQ(r["changed"].Size(), 3u);
  EXPECT_EQ(changed(r), (std::map<std::string, std::string>{
                            {"b", "failed"}, {"c", "failed"}, {"d", "failed"}}));
  EXPECT_EQ(error("d"), "dependency 'task b' (b) failed: dependency 'task a' (a) failed: boom");
}

TEST_F(Propagation, AnExecutorCancellationPropagatesLikeAFailure) {
  create(task("a") + "," + task("b"), edge("b", "a"));
  queue(R"("a","b")");
  claim("n1", 1);
  finish("n1", R"({"id":"a","status":"cancelled","error":"stopped"})");
  EXPECT_EQ(error("b"), "dependency 'task a' (a) failed: stopped");
}

TEST_F(Propagation, OnlyQueuedPendingDependentsAreTouched) {
  create(task("a") + "," + task("later") + "," + task("opt"),
         edge("later", "a") + "," + edge("opt", "a", "optional"));
  queue(R"("a")");
  claim("n1", 1);
  finish("n1", R"({"id":"a","status":"failed","error":"boom"})");
  EXPECT_EQ(status("later"), "pending");
  EXPECT_EQ(row("opt")["blockers"].GetInt(), 0);
}

TEST_F(Propagation, CancelCascadesOverRequiredAndChildEdgesWhateverThePolicy) {
  create(task("a", R"("task_tree_id":"T")") + "," +
             task("b", R"("failure_policy":"continue","task_tree_id":"T")") + "," +
             task("c", R"("task_tree_id":"T")") + "," + task("opt") + "," + task("parent"),
         edge("b", "a") + "," + edge("c", "b") + "," + edge("opt", "a", "optional") + "," +
             edge("parent", "a", "child"));
  queue(R"("a","b","c","opt","parent")");
  auto r = call(&Ops::cancel_tasks, R"({"ids":["a","a","missing"]})");
  ASSERT_EQ(r["cancelled"].Size(), 1u);
  EXPECT_EQ(str(r["cancelled"][0]["id"]), "a");
  EXPECT_EQ(str(r["cancelled"][0]["was"]), "pending");
  EXPECT_EQ(str(r["cancelled"][0]["task_tree_id"]), "T");
  EXPECT_EQ(changed(r), (std::map<std::string, std::string>{
                            {"b", "cancelled"}, {"c", "cancelled"}, {"parent", "cancelled"}}));
  EXPECT_EQ(error("a"), "Cancelled by user");
  EXPECT_EQ(error("b"), "cancelled: dependency 'task a' (a) was cancelled");
  EXPECT_EQ(error("c"), "cancelled: dependency 'task b' (b) was cancelled");
  EXPECT_EQ(claim("n1", 10), V{"opt"});
}

TEST_F(Propagation, CancellingARunningTaskClearsItsLeaseAndMakesItsFinishStale) {
  create(task("a") + "," + task("done"));
  run_to("done", "completed");
  queue(R"("a")");
  claim("n1", 1);
  auto r = call(&Ops::cancel_tasks, R"({"ids":["a","done"],"error":"stop now"})");
  ASSERT_EQ(r["cancelled"].Size(), 1u);
  EXPECT_EQ(str(r["cancelled"][0]["was"]), "in_progress");
  auto a = row("a");
  EXPECT_EQ(str(a["status"]), "cancelled");
  EXPECT_EQ(str(a["error"]), "stop now");
  EXPECT_TRUE(a["lease_owner"].IsNull());
  EXPECT_EQ(finish("n1", R"({"id":"a","status":"completed"})")["stale"].Size(), 1u);
  EXPECT_EQ(status("done"), "completed");
}

TEST_F(Propagation, QueueingBehindAnAlreadyFailedTaskSettlesAtOnce) {
  create(task("a"));
  run_to("a", "failed", "boom");
  create(task("b") + "," + task("c") + "," + task("cont", R"("failure_policy":"continue")"),
         edge("b", "a") + "," + edge("c", "b") + "," + edge("cont", "a"));
  auto r = queue(R"("b","c","cont")");
  EXPECT_EQ(r["queued"].GetInt(), 3);
  EXPECT_EQ(changed(r), (std::map<std::string, std::string>{{"b", "failed"}, {"c", "failed"}}));
  EXPECT_EQ(r["ready"].GetInt(), 1);
  EXPECT_EQ(error("b"), "dependency 'task a' (a) failed: boom");
  EXPECT_EQ(claim("n1", 10), V{"cont"});
}

TEST_F(Propagation, QueueingAFailedDependencyAgainWithResetWaitsForIt) {
  create(task("a"));
  run_to("a", "failed", "boom");
  create(task("b"), edge("b", "a"));
  auto r = queue(R"("a","b")", true);
  EXPECT_EQ(r["changed"].Size(), 0u);
  EXPECT_EQ(r["ready"].GetInt(), 1);
  EXPECT_EQ(row("b")["blockers"].GetInt(), 1);
  EXPECT_EQ(claim("n1", 10), V{"a"});
  finish("n1", R"({"id":"a","status":"completed"})");
  EXPECT_EQ(claim("n1", 10), V{"b"});
}

}  // namespace
}  // namespace apflow::testing
