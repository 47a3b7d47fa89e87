// Inline tasks (docs/storage.md, "Inline tasks"): ready tasks of the executors a claim names come
// back unleased and unwritten, and finish_tasks with "leased": false compares and sets them.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "storage_fixture.h"

namespace apflow::testing {
namespace {

using Ops = apflow_storage_ops;
using V = std::vector<std::string>;

std::string ids_of(const rapidjson::Value& rows) {
  std::string out;
  for (const auto& row : rows.GetArray()) out += (out.empty() ? "" : ",") + str(row["id"]);
  return out;
}

std::string dump(const rapidjson::Value& value) {
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(text);
  value.Accept(writer);
  return text.GetString();
}

class Inline : public StoreTest {
 protected:
  // A task run by `executor`, with `extra` members.
  static std::string run_by(const std::string& id, const std::string& executor,
                            const std::string& extra = "") {
    return task(
        id, R"("params":{"executor_id":")" + executor + "\"}" + (extra.empty() ? "" : "," + extra));
  }
  rapidjson::Document claim_inline(int limit, int inline_limit = 100) {
    return call(&Ops::claim_tasks, R"({"node":"n1","now_ms":1000,"limit":)" +
                                       std::to_string(limit) + R"(,"inline_limit":)" +
                                       std::to_string(inline_limit) +
                                       R"(,"inline_executors":["noop_executor"]})");
  }
};

TEST_F(Inline, ReadyTasksOfInlineExecutorsComeUnleasedAndUnwritten) {
  create(run_by("quick", "noop_executor") + "," + run_by("slow", "command_executor") + "," +
         run_by("by_method", "", R"("schemas":{"method":"noop_executor"})"));
  queue(R"("quick","slow","by_method")");
  auto r = claim_inline(5);
  EXPECT_EQ(ids_of(r["inline"]), "quick,by_method");
  EXPECT_EQ(ids_of(r["tasks"]), "slow");
  const auto& quick = r["inline"][0];
  EXPECT_EQ(str(quick["status"]), "pending");
  EXPECT_EQ(quick["attempt_count"].GetInt(), 1);  // the attempt this run will be
  // Unleased; a claimed row leaves out its null fields.
  EXPECT_FALSE(quick.HasMember("lease_owner"));
  EXPECT_FALSE(quick.HasMember("result"));
  EXPECT_TRUE(quick["dependency_results"].IsObject());
  // Nothing of the inline tasks was written: the store still has them ready, unleased.
  EXPECT_EQ(status("quick"), "pending");
  EXPECT_EQ(row("quick")["attempt_count"].GetInt(), 0);
  EXPECT_EQ(status("slow"), "in_progress");
}

TEST_F(Inline, FinishingAnInlineTaskCountsItsAttemptAndReleasesDependents) {
  create(run_by("a", "noop_executor") + "," + run_by("b", "noop_executor"), edge("b", "a"));
  queue(R"("a","b")");
  EXPECT_EQ(ids_of(claim_inline(0)["inline"]), "a");
  auto r = call(&Ops::finish_tasks,
                R"({"node":"n1","results":[{"id":"a","status":"completed","leased":false,)"
                R"("result":{"x":1}}],"claim":{"limit":0,"now_ms":1000,)"
                R"("inline_executors":["noop_executor"]}})");
  EXPECT_EQ(r["finished"].Size(), 1u);
  auto a = row("a");
  EXPECT_EQ(str(a["status"]), "completed");
  EXPECT_EQ(a["attempt_count"].GetInt(), 1);
  EXPECT_TRUE(a["started_at"].IsString());
  EXPECT_EQ(a["result"]["x"].GetInt(), 1);
  // What the finish made ready came in the same transaction, with a's result.
  ASSERT_EQ(ids_of(r["inline"]), "b");
  EXPECT_EQ(r["inline"][0]["dependency_results"]["a"]["result"]["x"].GetInt(), 1);
}

TEST_F(Inline, AnInlineOutcomeIsStaleOnceTheTaskIsNoLongerReady) {
  create(run_by("cancelled", "noop_executor") + "," + run_by("taken", "noop_executor") + "," +
         run_by("twice", "noop_executor"));
  queue(R"("cancelled","taken","twice")");
  EXPECT_EQ(ids_of(claim_inline(0)["inline"]), "cancelled,taken,twice");
  call(&Ops::cancel_tasks, R"({"ids":["cancelled"],"error":"Cancelled by user"})");
  // Another claimer that does not run noop inline leases it meanwhile.
  EXPECT_EQ(claim("n2", 1), V{"taken"});
  auto r = finish("n1", R"({"id":"cancelled","status":"completed","leased":false},)"
                        R"({"id":"taken","status":"completed","leased":false},)"
                        R"({"id":"twice","status":"completed","leased":false},)"
                        R"({"id":"twice","status":"failed","leased":false})");
  EXPECT_EQ(r["finished"].Size(), 1u);
  EXPECT_EQ(r["stale"].Size(), 3u);
  EXPECT_EQ(status("cancelled"), "cancelled");
  EXPECT_EQ(status("taken"), "in_progress");
  EXPECT_EQ(status("twice"), "completed");
}

TEST_F(Inline, AFailedInlineAttemptIsCountedAndRetried) {
  create(run_by("flaky", "noop_executor"));
  queue(R"("flaky")");
  claim_inline(0);
  auto r = finish("n1", R"({"id":"flaky","status":"failed","error":"boom","leased":false,)"
                        R"("retry_at":5000})");
  EXPECT_EQ(r["retrying"].Size(), 1u);
  auto flaky = row("flaky");
  EXPECT_EQ(str(flaky["status"]), "pending");
  EXPECT_EQ(flaky["attempt_count"].GetInt(), 1);
  EXPECT_EQ(flaky["retry_at"].GetInt64(), 5000);
  // Its next attempt, once due, completes it: the retry time and the last error are cleared.
  auto again = call(&Ops::claim_tasks, R"({"node":"n1","now_ms":6000,"limit":0,)"
                                       R"("inline_executors":["noop_executor"]})");
  ASSERT_EQ(ids_of(again["inline"]), "flaky");
  r = finish("n1", R"({"id":"flaky","status":"completed","leased":false,"result":{"ok":1}})");
  EXPECT_EQ(r["finished"].Size(), 1u);
  flaky = row("flaky");
  EXPECT_EQ(str(flaky["status"]), "completed");
  EXPECT_EQ(flaky["attempt_count"].GetInt(), 2);
  EXPECT_TRUE(flaky["retry_at"].IsNull());
  EXPECT_TRUE(flaky["error"].IsNull());
  EXPECT_EQ(flaky["result"]["ok"].GetInt(), 1);
  EXPECT_FALSE(flaky["queued"].GetBool());
}

TEST_F(Inline, TheWalkKeepsPriorityOrderAndItsBudgets) {
  create(run_by("i0", "noop_executor", R"("priority":0)") + "," +
         run_by("w1", "command_executor", R"("priority":1)") + "," +
         run_by("i2", "noop_executor", R"("priority":2)") + "," +
         run_by("i3", "noop_executor", R"("priority":3)"));
  queue(R"("i0","w1","i2","i3")");
  // No free slot: the inline task behind the waiting worker task does not overtake it.
  auto none = claim_inline(0);
  EXPECT_EQ(ids_of(none["inline"]), "i0");
  EXPECT_EQ(ids_of(none["tasks"]), "");
  // One slot and an inline budget of one: w1 is leased, i2 comes, i3 waits for the next claim.
  finish("n1", R"({"id":"i0","status":"completed","leased":false})");
  auto some = claim_inline(1, 1);
  EXPECT_EQ(ids_of(some["tasks"]), "w1");
  EXPECT_EQ(ids_of(some["inline"]), "i2");
  EXPECT_EQ(status("i3"), "pending");
}

// The inline tasks a claimer is still running (their outcomes not written) are passed over,
// and the walk goes on behind them in the same order.
TEST_F(Inline, AClaimPassesOverTheInlineTasksItsCallerStillRuns) {
  create(run_by("a", "noop_executor") + "," + run_by("b", "noop_executor") + "," +
         run_by("c", "noop_executor") + "," + run_by("d", "noop_executor"));
  queue(R"("a","b","c","d")");
  auto r = call(&Ops::claim_tasks, R"({"node":"n1","now_ms":1000,"limit":0,"inline_limit":2,)"
                                   R"("inline_executors":["noop_executor"],)"
                                   R"("running_inline":["a","c"]})");
  EXPECT_EQ(ids_of(r["inline"]), "b,d");
  EXPECT_EQ(status("a"), "pending");  // still ready in the store
}

// claim_inline (ABI 1.2) reads the same inline tasks and writes nothing, not even a leased task
// ahead of them: the walk stops there.
TEST_F(Inline, ClaimInlineReadsReadyInlineTasksAndWritesNothing) {
  create(run_by("a", "noop_executor") + "," + run_by("b", "noop_executor") + "," +
         run_by("slow", "command_executor") + "," + run_by("c", "noop_executor"));
  queue(R"("a","b","slow","c")");
  auto r = call(&Ops::claim_inline, R"({"now_ms":1000,"inline_limit":10,)"
                                    R"("inline_executors":["noop_executor"],)"
                                    R"("running_inline":["a"]})");
  EXPECT_EQ(ids_of(r["inline"]), "b");
  EXPECT_EQ(r["inline"][0]["attempt_count"].GetInt(), 1);
  EXPECT_EQ(status("b"), "pending");
  EXPECT_EQ(status("slow"), "pending");
  EXPECT_TRUE(row("slow")["lease_owner"].IsNull());
  auto bad = attempt(&Ops::claim_inline, R"({"now_ms":1000,"inline_limit":10})");
  EXPECT_EQ(bad.code, "STORAGE_INVALID_REQUEST");
  EXPECT_NE(bad.message.find("inline_executors"), std::string::npos) << bad.message;
  bad = attempt(&Ops::claim_inline, R"({"node":"n1","inline_executors":["noop_executor"]})");
  EXPECT_EQ(bad.code, "STORAGE_INVALID_REQUEST");
}

// A claim says where its walk stopped ("last": [priority, seq]); the next one may start there.
TEST_F(Inline, AClaimCanGoOnWhereTheLastOneStopped) {
  create(run_by("a", "noop_executor") + "," + run_by("b", "noop_executor") + "," +
         run_by("c", "noop_executor"));
  queue(R"("a","b","c")");
  const std::string ask = R"({"now_ms":1000,"inline_limit":2,"inline_executors":["noop_executor"])";
  auto first = call(&Ops::claim_inline, ask + "}");
  EXPECT_EQ(ids_of(first["inline"]), "a,b");
  ASSERT_TRUE(first["last"].IsArray());
  EXPECT_EQ(first["last"][0].GetInt64(), row("b")["priority"].GetInt64());
  EXPECT_EQ(first["last"][1].GetInt64(), row("b")["seq"].GetInt64());
  auto next = call(&Ops::claim_inline, ask + R"(,"after":)" + dump(first["last"]) + "}");
  EXPECT_EQ(ids_of(next["inline"]), "c");
  auto none = call(&Ops::claim_inline, ask + R"(,"after":)" + dump(next["last"]) + "}");
  EXPECT_EQ(ids_of(none["inline"]), "");
  EXPECT_FALSE(none.HasMember("last"));
  EXPECT_EQ(attempt(&Ops::claim_inline, ask + R"(,"after":[1]})").code, "STORAGE_INVALID_REQUEST");
}

// finish_tasks says how many waiting tasks its outcomes made ready.
TEST_F(Inline, FinishingSaysHowManyTasksItReleased) {
  create(run_by("a", "noop_executor") + "," + run_by("b", "noop_executor") + "," +
             run_by("join", "noop_executor") + "," + run_by("lone", "noop_executor"),
         edge("join", "a") + "," + edge("join", "b"));
  queue(R"("a","b","join","lone")");
  auto r = finish("n1", R"({"id":"a","status":"completed","leased":false})");
  EXPECT_EQ(r["released"].GetInt(), 0);  // join still waits for b
  r = finish("n1", R"({"id":"b","status":"completed","leased":false},)"
                   R"({"id":"lone","status":"completed","leased":false})");
  EXPECT_EQ(r["released"].GetInt(), 1);
}

TEST_F(Inline, ABadInlineRequestIsRefused) {
  auto r = attempt(&Ops::claim_tasks, R"({"node":"n1","inline_executors":"noop_executor"})");
  EXPECT_EQ(r.code, "STORAGE_INVALID_REQUEST");
  EXPECT_NE(r.message.find("inline_executors"), std::string::npos) << r.message;
  auto leased = attempt(&Ops::finish_tasks,
                        R"({"node":"n1","results":[{"id":"a","status":"completed","leased":1}]})");
  EXPECT_EQ(leased.code, "STORAGE_INVALID_REQUEST");
  EXPECT_NE(leased.message.find("leased"), std::string::npos) << leased.message;
}

}  // namespace
}  // namespace apflow::testing
