#include "cli/run_state.h"

#include <gtest/gtest.h>

namespace apflow::plugins::cli {
namespace {

const char* kListing = R"({"task":{"id":"r","name":"pipeline","status":"pending"},
  "children":[{"task":{"id":"a","name":"fetch","status":"pending"},"children":[]},
              {"task":{"id":"b","name":"parse","status":"pending"},"children":[]}]})";

RunEvent event(const std::string& json) {
  return parse_event(sdk::parse_json(json));
}

RunEvent task_event(const std::string& type, const std::string& id, const std::string& extra = "") {
  return event(R"({"type":")" + type + R"(","task_id":")" + id +
               R"(","task_tree_id":"r","timestamp":"2030-01-01T12:00:00.000Z")" + extra + "}");
}

TEST(RunState, ParsesEveryEventField) {
  const RunEvent e = event(
      R"({"type":"task_failed","task_id":"b","task_tree_id":"r","name":"parse","status":"failed",
          "progress":0.5,"message":"m","error":"boom","timestamp":"2030-01-01T12:00:00Z"})");
  EXPECT_EQ(e.type, "task_failed");
  EXPECT_EQ(e.task_id, "b");
  EXPECT_EQ(e.tree_id, "r");
  EXPECT_EQ(e.name, "parse");
  EXPECT_EQ(e.status, "failed");
  EXPECT_EQ(e.message, "m");
  EXPECT_EQ(e.error, "boom");
  EXPECT_EQ(e.timestamp, "2030-01-01T12:00:00Z");
  ASSERT_TRUE(e.progress);
  EXPECT_DOUBLE_EQ(*e.progress, 0.5);
  EXPECT_FALSE(event(R"({"type":"task_started"})").progress);
}

TEST(RunState, TheListingNamesTheTreeAndItsTasks) {
  RunState state;
  const sdk::Json listing = sdk::parse_json(kListing);
  state.add_tree("r", &listing);
  ASSERT_EQ(state.trees().size(), 1u);
  const TreeProgress& tree = state.trees()[0];
  EXPECT_EQ(tree.name, "pipeline");
  EXPECT_EQ(tree.task_ids, (std::vector<std::string>{"r", "a", "b"}));
  EXPECT_EQ(state.task("a")->name, "fetch");
  EXPECT_EQ(state.ended_tasks(tree), 0u);
  EXPECT_FALSE(state.finished());
}

TEST(RunState, EventsMoveTasksUntilATreeEventEndsTheTree) {
  RunState state;
  const sdk::Json listing = sdk::parse_json(kListing);
  state.add_tree("r", &listing);
  const TreeProgress& tree = state.trees()[0];

  EXPECT_TRUE(state.apply(task_event("task_started", "a")));
  EXPECT_EQ(state.running_tasks(tree), (std::vector<std::string>{"fetch"}));
  EXPECT_TRUE(state.apply(task_event("task_progress", "a", R"(,"progress":0.4)")));
  EXPECT_DOUBLE_EQ(state.task("a")->progress, 0.4);
  EXPECT_TRUE(state.apply(task_event("task_completed", "a")));
  EXPECT_EQ(state.task("a")->status, "completed");
  EXPECT_EQ(state.ended_tasks(tree), 1u);
  EXPECT_TRUE(state.apply(task_event("task_started", "b")));
  EXPECT_TRUE(state.apply(task_event("task_failed", "b", R"(,"error":"boom")")));
  EXPECT_EQ(state.task("b")->error, "boom");
  EXPECT_TRUE(state.apply(task_event("task_failed", "r", R"(,"error":"parse failed")")));
  EXPECT_EQ(state.ended_tasks(tree), 3u);
  EXPECT_TRUE(state.running_tasks(tree).empty());
  EXPECT_FALSE(state.finished());

  EXPECT_TRUE(state.apply(task_event("tree_failed", "r", R"(,"error":"parse failed")")));
  EXPECT_TRUE(state.finished());
  EXPECT_EQ(tree.outcome, "failed");
  EXPECT_EQ(tree.error, "parse failed");
}

TEST(RunState, EventsOfOtherTreesAreIgnoredAndUnlistedTasksAdded) {
  RunState state;
  state.add_tree("r", nullptr);
  EXPECT_FALSE(
      state.apply(event(R"({"type":"task_started","task_id":"x","task_tree_id":"other"})")));
  EXPECT_TRUE(state.apply(task_event("task_started", "new", R"(,"name":"late")")));
  EXPECT_EQ(state.trees()[0].task_ids, (std::vector<std::string>{"new"}));
  EXPECT_EQ(state.task("new")->name, "late");
  EXPECT_EQ(state.trees()[0].name, "r");  // no listing: the root id until the root is named
}

TEST(RunState, ATreeThatCouldNotStartEndsWithoutEvents) {
  RunState state;
  state.add_tree("r1", nullptr);
  state.add_tree("r2", nullptr);
  state.end_tree("r1", "failed", "engine refused");
  EXPECT_FALSE(state.finished());
  EXPECT_TRUE(
      state.apply(event(R"({"type":"tree_cancelled","task_id":"r2","task_tree_id":"r2"})")));
  EXPECT_TRUE(state.finished());
  EXPECT_EQ(state.trees()[0].error, "engine refused");
  EXPECT_EQ(state.trees()[1].outcome, "cancelled");
}

}  // namespace
}  // namespace apflow::plugins::cli
