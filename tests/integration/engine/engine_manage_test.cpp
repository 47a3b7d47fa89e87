// Creating, reading, editing, deleting and reusing tasks through the engine on SQLite.
#include "engine_fixture.h"

namespace apflow::testing {
namespace {

std::string code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code() + ": " + e.what();
  }
  return "";
}

TEST_F(EngineTest, CreationIsAtomicAndChecksTheStore) {
  create(R"({"tasks":[)" + task("one") + "]}");
  const auto clash =
      code_of([&] { create(R"({"tasks":[)" + task("two") + "," + task("one") + "]}"); });
  EXPECT_EQ(clash, "TASK_EXISTS: Task id already exists in database (id: one).");
  EXPECT_EQ(code_of([&] { get("two"); }), "TASK_NOT_FOUND: Task 'two' not found");
}

TEST_F(EngineTest, CreateAttachesToAnExistingParentAndDependencies) {
  create(R"({"tasks":[)" + task("root") + "," + task("dep") + "]}");
  auto made = engine_->create_task(parse(
      R"({"name":"late","parent_id":"root","dependencies":["dep"],"user_id":"u1",)"
      R"("params":{"executor_id":"record_executor"},"schemas":{"method":"record_executor"}})"));
  const std::string id = made["id"].GetString();
  EXPECT_STREQ(made["task_tree_id"].GetString(), "root");
  EXPECT_TRUE(get("root")["has_children"].GetBool());
  EXPECT_STREQ(get(id)["user_id"].GetString(), "u1");
  auto out = run("root");
  EXPECT_STREQ(out["status"].GetString(), "completed") << dump(out);
  EXPECT_STREQ(get(id)["result"]["inputs"]["dep"]["task_id"].GetString(), "dep");
}

TEST_F(EngineTest, ListReturnsTheTrueTotal) {
  std::string tasks;
  for (int i = 0; i < 7; ++i) tasks += (i ? "," : "") + task("t" + std::to_string(i));
  create(R"({"tasks":[)" + tasks + "]}");
  auto page = engine_->list(parse(R"({"limit":3,"offset":0})"));
  EXPECT_EQ(page["tasks"].Size(), 3u);
  EXPECT_EQ(page["total"].GetInt(), 7);
  auto pending = engine_->list(parse(R"({"status":"completed"})"));
  EXPECT_EQ(pending["total"].GetInt(), 0);
}

TEST_F(EngineTest, UpdateValidatesStatusChanges) {
  create(R"({"tasks":[)" + task("u") + "]}");
  EXPECT_NE(code_of([&] {
              engine_->update(parse(R"({"task_id":"u","status":"completed"})"));
            }).find("Cannot change the status of task u from 'pending' to 'completed'"),
            std::string::npos);
  auto row = engine_->update(parse(R"({"task_id":"u","status":"cancelled","priority":0})"));
  EXPECT_STREQ(row["status"].GetString(), "cancelled");
  EXPECT_EQ(row["priority"].GetInt(), 0);
  EXPECT_TRUE(row["completed_at"].IsString());
}

TEST_F(EngineTest, DeleteRefusesToOrphanUnlessCascading) {
  create(R"({"tasks":[)" + task("top") + "," + task("kid", R"("parent_id":"top")") + "," +
         task("other", R"("dependencies":["top"])") + "]}");
  EXPECT_NE(
      code_of([&] { engine_->remove(parse(R"({"task_id":"top"})")); }).find("TASK_HAS_CHILDREN"),
      std::string::npos);
  EXPECT_NE(code_of([&] {
              engine_->remove(parse(R"({"task_id":"top","cascade":true})"));
            }).find("is a dependency of task other"),
            std::string::npos);
  engine_->remove(parse(R"({"task_id":"other"})"));
  auto out = engine_->remove(parse(R"({"task_id":"top","cascade":true})"));
  EXPECT_EQ(out["deleted_count"].GetInt(), 2);
  EXPECT_NE(code_of([&] { get("kid"); }).find("TASK_NOT_FOUND"), std::string::npos);
}

TEST_F(EngineTest, CopyGetsItsOwnTreeAndFreshStateAtEveryDepth) {
  create(R"({"tasks":[)" + task("r") + "," + task("c", R"("parent_id":"r")") + "," +
         task("g", R"("parent_id":"c")", R"({"v":1})") + "]}");
  run("r");
  auto copy = engine_->copy(parse(R"({"task_id":"r","overrides":{"user_id":"me"}})"));
  const std::string root = copy["root_task_id"].GetString();
  EXPECT_EQ(copy["task_count"].GetInt(), 3);
  auto tree = engine_->tree(parse(R"({"task_id":")" + root + R"("})"));
  const auto& grandchild = tree["children"][0]["children"][0]["task"];
  EXPECT_STREQ(grandchild["task_tree_id"].GetString(), root.c_str());
  EXPECT_STREQ(grandchild["status"].GetString(), "pending");
  EXPECT_TRUE(grandchild["result"].IsNull());
  EXPECT_STREQ(grandchild["original_task_id"].GetString(), "g");
  EXPECT_STREQ(grandchild["user_id"].GetString(), "me");
  EXPECT_STREQ(run(root)["status"].GetString(), "completed");
  EXPECT_TRUE(get("r")["has_references"].GetBool());
}

TEST_F(EngineTest, DeleteRefusesTheSourceOfALinkUntilTheLinkIsGone) {
  create(R"({"tasks":[)" + task("src") + "]}");
  run("src");
  const std::string link = engine_->link(parse(R"({"task_id":"src"})"))["root_task_id"].GetString();
  const std::string copy = engine_->copy(parse(R"({"task_id":"src"})"))["root_task_id"].GetString();
  EXPECT_EQ(code_of([&] { engine_->remove(parse(R"({"task_id":"src"})")); }),
            "TASK_REFERENCED: Task src is the source of link " + link +
                "; delete the link first (a copy would not need it)");
  engine_->remove(parse(R"({"task_id":")" + link + R"("})"));
  EXPECT_TRUE(engine_->remove(parse(R"({"task_id":"src"})"))["deleted"].GetBool());
  EXPECT_STREQ(get(copy)["status"].GetString(), "pending");  // the copy lives on
}

TEST_F(EngineTest, LinkNeedsACompletedTreeAndResolvesOnRead) {
  create(R"({"tasks":[)" + task("src", "", R"({"k":"v"})") + "]}");
  EXPECT_NE(code_of([&] {
              engine_->link(parse(R"({"task_id":"src"})"));
            }).find("Only a fully completed task tree can be linked"),
            std::string::npos);
  run("src");
  auto link = engine_->link(parse(R"({"task_id":"src"})"));
  const std::string id = link["root_task_id"].GetString();
  auto row = get(id);
  EXPECT_STREQ(row["origin_type"].GetString(), "link");
  EXPECT_STREQ(row["id"].GetString(), id.c_str());
  EXPECT_STREQ(row["result"]["inputs"]["k"].GetString(), "v");  // the source's, resolved
}

// apflow.task.get answers with the text cut from the store's own: the same task as get(), with
// the store's bookkeeping left out, and a text that is that very object.
TEST_F(EngineTest, ShownTaskIsTheTaskGetReadsWithItsText) {
  create(R"({"tasks":[)" + task("src", "", R"({"k":"v \"q\" \u00e9"})") + "]}");
  run("src");
  const std::string link = engine_->link(parse(R"({"task_id":"src"})"))["root_task_id"].GetString();
  for (const std::string& id : {std::string("src"), link}) {
    const auto input = parse(R"({"task_id":")" + id + R"("})");
    auto shown = engine_->get_shown(input);
    const Json expected = engine_->get(input);
    EXPECT_EQ(shown.row, expected) << id;
    EXPECT_EQ(parse(shown.text), expected) << shown.text;
    for (const char* internal : {"blockers", "seq", "queued"}) {
      EXPECT_FALSE(shown.row.HasMember(internal)) << internal;
    }
  }
  EXPECT_EQ(code_of([&] { engine_->get_shown(parse(R"({"task_id":"nope"})")); }),
            "TASK_NOT_FOUND: Task 'nope' not found");
}

TEST_F(EngineTest, ArchiveIsAReadOnlySnapshot) {
  create(R"({"tasks":[)" + task("old") + "]}");
  run("old");
  auto archived = engine_->archive(parse(R"({"task_id":"old"})"));
  EXPECT_STREQ(archived["origin_type"].GetString(), "archive");
  EXPECT_NE(code_of([&] {
              engine_->update(parse(R"({"task_id":"old","priority":1})"));
            }).find("TASK_ARCHIVED"),
            std::string::npos);
  EXPECT_NE(code_of([&] { run("old"); }).find("immutable snapshot"), std::string::npos);
}

TEST_F(EngineTest, MixedDecidesNodeByNode) {
  create(R"({"tasks":[)" + task("m") + "," + task("keep", R"("parent_id":"m")") + "," +
         task("redo", R"("parent_id":"m")") + "]}");
  run("m");
  auto mixed = engine_->clone_mixed(parse(R"({"task_id":"m","link_task_ids":["keep"]})"));
  EXPECT_STREQ(mixed["origin_type"].GetString(), "mixed");
  auto tree = engine_->tree(
      parse(R"({"task_id":")" + std::string(mixed["root_task_id"].GetString()) + R"("})"));
  EXPECT_STREQ(tree["task"]["origin_type"].GetString(), "copy");
  std::map<std::string, std::string> origin;
  for (const auto& child : tree["children"].GetArray()) {
    origin[child["task"]["name"].GetString()] = child["task"]["origin_type"].GetString();
  }
  EXPECT_EQ(origin["keep"], "link");
  EXPECT_EQ(origin["redo"], "copy");
}

}  // namespace
}  // namespace apflow::testing
