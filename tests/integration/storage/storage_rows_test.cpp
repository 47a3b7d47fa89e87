// Rows: create, get, query, update, delete, checkpoints and progress through the C ops table.
#include <regex>

#include "storage_fixture.h"

namespace apflow::testing {
namespace {

using Ops = apflow_storage_ops;

class Rows : public StoreTest {};

TEST_F(Rows, CreateAssignsSeqTimestampsAndDefaults) {
  create(task("a", R"("inputs":{"n":[1,2,{"deep":true}]},"dependencies":[{"id":"b"}])") + "," +
         task("b") + "," + task("c", R"("priority":0,"user_id":"u1","timeout_ms":500)"));
  auto a = row("a"), b = row("b"), c = row("c");
  EXPECT_LT(a["seq"].GetInt64(), b["seq"].GetInt64());
  EXPECT_LT(b["seq"].GetInt64(), c["seq"].GetInt64());
  const std::regex iso(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  EXPECT_TRUE(std::regex_match(str(a["created_at"]), iso)) << str(a["created_at"]);
  EXPECT_EQ(str(a["created_at"]), str(a["updated_at"]));
  EXPECT_EQ(str(a["status"]), "pending");
  EXPECT_EQ(a["priority"].GetInt(), 2);
  EXPECT_EQ(str(a["failure_policy"]), "fail");
  EXPECT_EQ(str(a["injection"]), "by_id");
  EXPECT_FALSE(a["queued"].GetBool());
  EXPECT_EQ(a["blockers"].GetInt(), 0);
  EXPECT_EQ(a["progress"].GetDouble(), 0.0);
  EXPECT_TRUE(a["parent_id"].IsNull());
  EXPECT_TRUE(a["inputs"]["n"][2]["deep"].GetBool());
  EXPECT_EQ(str(a["dependencies"][0]["id"]), "b");
  EXPECT_EQ(c["priority"].GetInt(), 0);
  EXPECT_EQ(str(c["user_id"]), "u1");
  EXPECT_EQ(c["timeout_ms"].GetInt(), 500);
}

TEST_F(Rows, DuplicateIdRollsBackTheWholeBatch) {
  create(task("a"));
  auto clash = attempt(&Ops::create_tasks, "{\"tasks\":[" + task("b") + "," + task("a") + "]}");
  ASSERT_FALSE(clash.ok);
  EXPECT_EQ(clash.code, "TASK_EXISTS");
  EXPECT_NE(clash.message.find("'a'"), std::string::npos) << clash.message;
  EXPECT_EQ(status("b"), "<missing>");
  auto twice = attempt(&Ops::create_tasks, "{\"tasks\":[" + task("c") + "," + task("c") + "]}");
  EXPECT_EQ(twice.code, "TASK_EXISTS");
  EXPECT_EQ(status("c"), "<missing>");
}

TEST_F(Rows, BadRowsAreRefusedNamingTheField) {
  auto expect_invalid = [&](const std::string& t, const std::string& named) {
    auto r = attempt(&Ops::create_tasks, "{\"tasks\":[" + task("ok") + "," + t + "]}");
    EXPECT_EQ(r.code, "STORAGE_INVALID_REQUEST") << t;
    EXPECT_NE(r.message.find(named), std::string::npos) << r.message;
  };
  expect_invalid(task("x", R"("colour":"red")"), "tasks[1].colour");
  expect_invalid(task("x", R"("priority":7)"), "tasks[1].priority");
  expect_invalid(task("x", R"("status":"sleeping")"), "tasks[1].status");
  expect_invalid(task("x", R"("progress":"half")"), "tasks[1].progress");
  expect_invalid(task("x", R"("dependencies":{"id":"a"})"), "tasks[1].dependencies");
  expect_invalid(R"({"id":"x"})", "tasks[1].name");
  expect_invalid(R"({"name":"x"})", "tasks[1].id");
  EXPECT_EQ(status("ok"), "<missing>");
  auto unknown = attempt(&Ops::create_tasks, R"({"tasks":[],"colour":1})");
  EXPECT_NE(unknown.message.find("colour"), std::string::npos);
  auto garbage = attempt(&Ops::create_tasks, "{not json");
  EXPECT_EQ(garbage.code, "STORAGE_INVALID_REQUEST");
}

// create_tasks reads a batch one task at a time (large trees); the request is still checked whole.
TEST_F(Rows, CreateRequestsAreCheckedWholeWhileReadTaskByTask) {
  auto expect_invalid = [&](const std::string& request, const std::string& named) {
    auto r = attempt(&Ops::create_tasks, request);
    EXPECT_EQ(r.code, "STORAGE_INVALID_REQUEST") << request;
    EXPECT_NE(r.message.find(named), std::string::npos) << request << " -> " << r.message;
  };
  expect_invalid("[" + task("a") + "]", "must be a JSON object");
  expect_invalid(R"("tasks")", "must be a JSON object");
  expect_invalid(R"({"tasks":{"id":"a"}})", "field 'tasks' must be an array");
  expect_invalid(R"({"edges":[]})", "field 'tasks' is required");
  expect_invalid("{\"tasks\":[" + task("a") + ",7]}", "'tasks[1]' must be an object");
  expect_invalid("{\"tasks\":[" + task("a") + "],\"edges\":[\"a\"]}", "'edges[0]'");
  // Broken after the first task: nothing of the batch is written.
  expect_invalid("{\"tasks\":[" + task("a") + "," + task("b") + "]", "not valid JSON");
  expect_invalid("{\"tasks\":[" + task("a") + "],\"mark_parents\":[\"a\"],\"x\":1}",
                 "unknown field 'x'");
  EXPECT_EQ(status("a"), "<missing>");
  // Separators, nesting and escapes inside tasks do not confuse where one task ends.
  create(" " + task("p", R"("inputs":{"text":"a, b}] \"c\"","list":[{"k":[1,{}]}]})") + " , " +
         task("q", R"("params":{"executor_id":"x"})"));
  EXPECT_EQ(status("p"), "pending");
  EXPECT_EQ(str(row("p")["inputs"]["text"]), "a, b}] \"c\"");
  EXPECT_EQ(row("p")["inputs"]["list"][0]["k"][0].GetInt(), 1);
  EXPECT_EQ(status("q"), "pending");
  auto marked = call(&Ops::create_tasks, "{\"tasks\":[" + task("r", R"("parent_id":"p")") +
                                             "],\"mark_parents\":[\"p\"]}");
  EXPECT_EQ(marked["created"].GetInt(), 1);
  EXPECT_TRUE(row("p")["has_children"].GetBool());
}

TEST_F(Rows, EdgesMustNameKnownTasks) {
  auto r = attempt(&Ops::create_tasks,
                   "{\"tasks\":[" + task("a") + "],\"edges\":[" + edge("a", "ghost") + "]}");
  EXPECT_EQ(r.code, "TASK_NOT_FOUND");
  EXPECT_NE(r.message.find("ghost"), std::string::npos);
  EXPECT_EQ(status("a"), "<missing>");
  auto self = attempt(&Ops::create_tasks,
                      "{\"tasks\":[" + task("a") + "],\"edges\":[" + edge("a", "a") + "]}");
  EXPECT_EQ(self.code, "STORAGE_INVALID_REQUEST");
  auto kind = attempt(&Ops::create_tasks, "{\"tasks\":[" + task("a") + "," + task("b") +
                                              "],\"edges\":[" + edge("a", "b", "maybe") + "]}");
  EXPECT_NE(kind.message.find("edges[0].kind"), std::string::npos) << kind.message;
}

TEST_F(Rows, GetKeepsRequestOrderAndLeavesOutMissingIds) {
  create(task("a") + "," + task("b") + "," + task("c"));
  auto r = call(&Ops::get_tasks, R"({"ids":["c","nope","a"]})");
  ASSERT_EQ(r["tasks"].Size(), 2u);
  EXPECT_EQ(str(r["tasks"][0]["id"]), "c");
  EXPECT_EQ(str(r["tasks"][1]["id"]), "a");
}

TEST_F(Rows, QueryCountsEveryMatchNotThePage) {
  create(task("a") + "," + task("b") + "," + task("c") + "," + task("d") + "," + task("e"));
  auto page = call(&Ops::query_tasks, R"({"limit":2,"offset":1,"order":"created_asc"})");
  EXPECT_EQ(page["total"].GetInt(), 5);
  ASSERT_EQ(page["tasks"].Size(), 2u);
  EXPECT_EQ(str(page["tasks"][0]["id"]), "b");
  EXPECT_EQ(str(page["tasks"][1]["id"]), "c");
}

std::vector<std::string> ids_of(const rapidjson::Document& r) {
  std::vector<std::string> ids;
  for (const auto& t : r["tasks"].GetArray()) ids.push_back(str(t["id"]));
  return ids;
}

TEST_F(Rows, QueryFiltersByEveryKey) {
  create(task("root", R"("user_id":"u1","task_tree_id":"T")") + "," +
         task("kid", R"("user_id":"u2","task_tree_id":"T","parent_id":"root")") + "," +
         task("other", R"("user_id":"u1","task_tree_id":"U","status":"failed")"));
  queue(R"("kid")");
  using V = std::vector<std::string>;
  auto q = [&](const std::string& filter) {
    return ids_of(call(&Ops::query_tasks, "{" + filter + R"(,"order":"created_asc"})"));
  };
  EXPECT_EQ(q(R"("status":"failed")"), V{"other"});
  EXPECT_EQ(q(R"("status":["failed","pending"])"), (V{"root", "kid", "other"}));
  EXPECT_EQ(q(R"("user_id":"u1")"), (V{"root", "other"}));
  EXPECT_EQ(q(R"("task_tree_id":"T")"), (V{"root", "kid"}));
  EXPECT_EQ(q(R"("parent_id":null)"), (V{"root", "other"}));
  EXPECT_EQ(q(R"("parent_id":"root")"), V{"kid"});
  EXPECT_EQ(q(R"("ids":["other","kid"])"), (V{"kid", "other"}));
  EXPECT_EQ(q(R"("queued":true)"), V{"kid"});
  EXPECT_EQ(q(R"("queued":false,"user_id":"u1","status":"pending")"), V{"root"});
  auto bad = attempt(&Ops::query_tasks, R"({"order":"random"})");
  EXPECT_EQ(bad.code, "STORAGE_INVALID_REQUEST");
}

TEST_F(Rows, QueryOrdersByCreationOrPriorityWithSeqBreakingTies) {
  create(task("old", R"("created_at":"2026-01-01T00:00:00.000Z","priority":3)") + "," +
         task("new1", R"("created_at":"2026-06-01T00:00:00.000Z","priority":1)") + "," +
         task("new2", R"("created_at":"2026-06-01T00:00:00.000Z","priority":1)") + "," +
         task("mid", R"("created_at":"2026-03-01T00:00:00.000Z","priority":0)"));
  using V = std::vector<std::string>;
  EXPECT_EQ(ids_of(call(&Ops::query_tasks, "{}")), (V{"new2", "new1", "mid", "old"}));
  EXPECT_EQ(ids_of(call(&Ops::query_tasks, R"({"order":"created_asc"})")),
            (V{"old", "mid", "new1", "new2"}));
  EXPECT_EQ(ids_of(call(&Ops::query_tasks, R"({"order":"priority"})")),
            (V{"mid", "new1", "new2", "old"}));
}

TEST_F(Rows, UpdateSetsFieldsAndUpdatedAt) {
  create(task("a", R"("updated_at":"2020-01-01T00:00:00.000Z")"));
  auto r = call(&Ops::update_task,
                R"({"id":"a","set":{"name":"renamed","inputs":{"k":1},"user_id":null}})");
  EXPECT_EQ(str(r["name"]), "renamed");
  EXPECT_EQ(r["inputs"]["k"].GetInt(), 1);
  EXPECT_NE(str(r["updated_at"]), "2020-01-01T00:00:00.000Z");
  EXPECT_EQ(str(row("a")["name"]), "renamed");
}

TEST_F(Rows, UpdateIsACompareAndSetOnStatus) {
  create(task("a"));
  auto conflict = attempt(&Ops::update_task,
                          R"({"id":"a","set":{"status":"failed"},"expect_status":"in_progress"})");
  ASSERT_EQ(conflict.code, "TASK_CONFLICT");
  EXPECT_EQ(str(conflict.body["status"]), "pending");
  EXPECT_EQ(status("a"), "pending");
  call(&Ops::update_task,
       R"({"id":"a","set":{"status":"failed"},"expect_status":["in_progress","pending"]})");
  EXPECT_EQ(status("a"), "failed");
}

TEST_F(Rows, UpdateRefusesStoreFieldsAndUnknownTasks) {
  create(task("a"));
  for (const char* field : {"id", "seq", "blockers"}) {
    auto r =
        attempt(&Ops::update_task, std::string(R"({"id":"a","set":{")") + field + R"(":"x"}})");
    EXPECT_EQ(r.code, "STORAGE_INVALID_REQUEST") << field;
    EXPECT_NE(r.message.find(field), std::string::npos) << r.message;
  }
  EXPECT_EQ(attempt(&Ops::update_task, R"({"id":"zz","set":{}})").code, "TASK_NOT_FOUND");
  EXPECT_EQ(attempt(&Ops::update_task, R"({"id":"a","set":{"priority":-1}})").code,
            "STORAGE_INVALID_REQUEST");
}

TEST_F(Rows, DeleteTakesEdgesAndCheckpointsAlong) {
  create(task("a") + "," + task("b"), edge("b", "a"));
  call(&Ops::save_checkpoint, R"({"task_id":"a","data":{"step":1}})");
  auto r = call(&Ops::delete_tasks, R"({"ids":["a","missing"]})");
  EXPECT_EQ(r["deleted"].GetInt(), 1);
  EXPECT_EQ(status("a"), "<missing>");
  EXPECT_FALSE(call(&Ops::load_checkpoint, R"({"task_id":"a"})").HasMember("data"));
  // b's edge to a went with it: b is ready as soon as it is queued.
  EXPECT_EQ(queue(R"("b")")["ready"].GetInt(), 1);
}

TEST_F(Rows, DeleteRefusesARunningTaskAndDeletesNothing) {
  create(task("a") + "," + task("b"));
  queue(R"("a")");
  ASSERT_EQ(claim("n1", 1), std::vector<std::string>{"a"});
  auto r = attempt(&Ops::delete_tasks, R"({"ids":["b","a"]})");
  EXPECT_EQ(r.code, "TASK_RUNNING");
  EXPECT_NE(r.message.find("'a'"), std::string::npos);
  EXPECT_EQ(status("b"), "pending");
}

TEST_F(Rows, CheckpointsAreReplacedAndLoaded) {
  create(task("a"));
  EXPECT_FALSE(call(&Ops::load_checkpoint, R"({"task_id":"a"})").HasMember("data"));
  call(&Ops::save_checkpoint, R"({"task_id":"a","data":{"step":1}})");
  call(&Ops::save_checkpoint, R"({"task_id":"a","data":{"step":2,"items":[1,2]}})");
  auto r = call(&Ops::load_checkpoint, R"({"task_id":"a"})");
  EXPECT_EQ(r["data"]["step"].GetInt(), 2);
  EXPECT_EQ(r["data"]["items"].Size(), 2u);
  EXPECT_EQ(attempt(&Ops::save_checkpoint, R"({"task_id":"zz","data":1})").code, "TASK_NOT_FOUND");
}

TEST_F(Rows, ProgressIsRecordedForLiveTasksOnly) {
  create(task("a") + "," + task("b", R"("status":"completed","progress":1)"));
  auto r = call(&Ops::record_progress,
                R"({"progress":[{"id":"a","progress":0.25},{"id":"b","progress":0.5},)"
                R"({"id":"zz","progress":0.5}]})");
  EXPECT_EQ(r["updated"].GetInt(), 1);
  EXPECT_EQ(row("a")["progress"].GetDouble(), 0.25);
  EXPECT_EQ(row("b")["progress"].GetDouble(), 1.0);
  EXPECT_EQ(attempt(&Ops::record_progress, R"({"progress":[{"id":"a","progress":2}]})").code,
            "STORAGE_INVALID_REQUEST");
}

TEST_F(Rows, QueryReturnsOnlyTheRequestedFieldsAndCanSkipTheCount) {
  create(task("a", R"("priority":1,"inputs":{"big":"x"})") + "," + task("b"));
  auto r = call(&Ops::query_tasks,
                R"({"fields":["status","priority"],"count":false,"order":"created_asc"})");
  EXPECT_FALSE(r.HasMember("total"));
  ASSERT_EQ(r["tasks"].Size(), 2u);
  const auto& a = r["tasks"][0];
  EXPECT_EQ(a.MemberCount(), 3u);  // id always comes along
  EXPECT_EQ(str(a["id"]), "a");
  EXPECT_EQ(str(a["status"]), "pending");
  EXPECT_EQ(a["priority"].GetInt(), 1);
  EXPECT_FALSE(a.HasMember("inputs"));

  auto any = call(&Ops::query_tasks, R"({"status":"pending","limit":1,"count":false,)"
                                     R"("order":"none","fields":[]})");
  EXPECT_EQ(any["tasks"].Size(), 1u);

  auto bad = attempt(&Ops::query_tasks, R"({"fields":["status","colour"]})");
  EXPECT_EQ(bad.code, "STORAGE_INVALID_REQUEST");
  EXPECT_NE(bad.message.find("unknown field \"colour\""), std::string::npos) << bad.message;
  EXPECT_NE(bad.message.find("valid fields: id, parent_id"), std::string::npos) << bad.message;
}

}  // namespace
}  // namespace apflow::testing
