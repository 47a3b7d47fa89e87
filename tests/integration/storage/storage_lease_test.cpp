// Lease expiry as protection: a task whose lease keeps expiring (its process dies while running
// it) fails once it has been abandoned more than max_expiries times in one run, and its
// dependents follow; a clean hand-back is not counted; re-execution starts the count again.
#include "storage_fixture.h"

namespace apflow::testing {
namespace {

using Ops = apflow_storage_ops;
using V = std::vector<std::string>;

class Leases : public StoreTest {
 protected:
  // Claims `id` with a 100 ms lease at `now` and lets it expire, as a crashed holder would.
  rapidjson::Document abandon(const std::string& id, long long now, int max_expiries) {
    EXPECT_EQ(claim("n1", 1, now, 100), V{id});
    return call(&Ops::expire_leases, R"({"now_ms":)" + std::to_string(now + 200) +
                                         R"(,"max_expiries":)" + std::to_string(max_expiries) +
                                         "}");
  }
};

const char* kAbandonedThrice =
    "Task a was abandoned 3 times (its process stopped or lost its lease while running it); "
    "failed to protect the service. Re-execute it to try again";

TEST_F(Leases, ATaskAbandonedTooOftenFailsAndItsDependentsFollow) {
  create(task("a", R"("task_tree_id":"T")") + "," + task("b", R"("task_tree_id":"T")"),
         edge("b", "a"));
  queue(R"("a","b")");
  for (int i = 1; i <= 2; ++i) {
    auto r = abandon("a", i * 1000, 2);
    ASSERT_EQ(r["expired"].Size(), 1u);
    EXPECT_EQ(r["expired"][0]["lease_expiries"].GetInt(), i);
    EXPECT_TRUE(r["abandoned"].Empty());
    EXPECT_TRUE(r["changed"].Empty());
    EXPECT_EQ(status("a"), "pending");
  }
  auto r = abandon("a", 3000, 2);
  ASSERT_EQ(r["abandoned"].Size(), 1u);
  EXPECT_EQ(str(r["abandoned"][0]), "a");
  EXPECT_EQ(status("a"), "failed");
  EXPECT_EQ(error("a"), kAbandonedThrice);
  EXPECT_FALSE(row("a")["queued"].GetBool());
  EXPECT_TRUE(row("a")["lease_owner"].IsNull());
  EXPECT_EQ(status("b"), "failed");
  EXPECT_EQ(error("b"), std::string("dependency 'task a' (a) failed: ") + kAbandonedThrice);
  ASSERT_EQ(r["changed"].Size(), 2u);
  EXPECT_EQ(str(r["changed"][0]["id"]), "a");
  EXPECT_EQ(str(r["changed"][0]["status"]), "failed");
  EXPECT_EQ(str(r["changed"][0]["task_tree_id"]), "T");
  EXPECT_EQ(str(r["changed"][1]["id"]), "b");
  EXPECT_EQ(claim("n2", 5, 5000), V{});
}

TEST_F(Leases, WithoutALimitExpiredTasksAlwaysReturnToTheQueue) {
  create(task("a"));
  queue(R"("a")");
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(claim("n1", 1, i * 1000, 100), V{"a"});
    auto r = call(&Ops::expire_leases, R"({"now_ms":)" + std::to_string(i * 1000 + 200) + "}");
    EXPECT_TRUE(r["abandoned"].Empty());
  }
  EXPECT_EQ(status("a"), "pending");
}

TEST_F(Leases, AHandedBackTaskIsNotCountedAsAbandoned) {
  create(task("a"));
  queue(R"("a")");
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(claim("n1", 1, i * 1000, 60000), V{"a"});
    // Only the holder hands a task back.
    auto other = call(&Ops::expire_leases, R"({"now_ms":1,"node":"n2","release":["a"]})");
    EXPECT_TRUE(other["released"].Empty());
    auto r = call(&Ops::expire_leases, R"({"now_ms":)" + std::to_string(i * 1000 + 1) +
                                           R"(,"node":"n1","release":["a"],"max_expiries":0})");
    EXPECT_EQ(r["released"].Size(), 1u);
    EXPECT_TRUE(r["expired"].Empty());
    EXPECT_EQ(status("a"), "pending");
  }
  EXPECT_TRUE(abandon("a", 9000, 1)["abandoned"].Empty());  // its first expiry
}

TEST_F(Leases, ReExecutionStartsTheCountAgainButResumingDoesNot) {
  create(task("a"));
  queue(R"("a")");
  abandon("a", 1000, 1);
  // Queued again (with reset) while pending, as an execution resuming a crashed run does.
  queue(R"("a")", true);
  EXPECT_EQ(abandon("a", 2000, 1)["abandoned"].Size(), 1u);
  EXPECT_EQ(status("a"), "failed");
  queue(R"("a")", true);
  EXPECT_EQ(status("a"), "pending");
  EXPECT_TRUE(abandon("a", 3000, 1)["abandoned"].Empty());
  EXPECT_EQ(abandon("a", 4000, 1)["abandoned"].Size(), 1u);
}

TEST_F(Leases, ExpiryRefusesABadLimitOrARelease) {
  EXPECT_EQ(attempt(&Ops::expire_leases, R"({"max_expiries":-1})").code, "STORAGE_INVALID_REQUEST");
  EXPECT_EQ(attempt(&Ops::expire_leases, R"({"release":["a"]})").code,
            "STORAGE_INVALID_REQUEST");  // a release names its node
}

}  // namespace
}  // namespace apflow::testing
