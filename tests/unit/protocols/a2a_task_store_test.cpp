// A2A tasks in memory: listeners see each change once and are dropped at the end, a task ends
// only once, and the store stays bounded, dropping ended tasks first.
#include <gtest/gtest.h>

#include <regex>
#include <thread>
#include <vector>

#include "a2a/task_store.h"

namespace apflow::plugins::a2a {
namespace {

// The tasks here are never started, so the host is never called.
sdk::Host no_host() {
  return sdk::Host(nullptr);
}

SendRequest echo_request() {
  SendRequest request;
  request.module_id = "testkit.echo";
  request.input_json = "{}";
  return request;
}

TEST(A2aTask, ListenersSeeTheEndOnceAndCancelIsRefusedAfterIt) {
  A2aTask task(no_host(), "t1", echo_request());
  std::vector<TaskState> seen;
  TaskState first = TaskState::kSubmitted;
  EXPECT_TRUE(task.attach([&](const TaskSnapshot& now) { first = now.state; },
                          [&](const TaskSnapshot& now, Change) { seen.push_back(now.state); }));
  EXPECT_EQ(first, TaskState::kWorking);
  EXPECT_TRUE(task.cancel());
  EXPECT_FALSE(task.cancel());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], TaskState::kCanceled);
  EXPECT_EQ(task.snapshot().status_text, "Canceled by client");
  // Attaching to an ended task shows it and keeps no listener.
  EXPECT_FALSE(task.attach([&](const TaskSnapshot& now) { first = now.state; },
                           [&](const TaskSnapshot&, Change) { ADD_FAILURE(); }));
  EXPECT_EQ(first, TaskState::kCanceled);
}

TEST(TaskStore, BoundedAndEndedTasksGoFirst) {
  TaskStore store(TaskLimits{2, std::chrono::hours(1)});
  auto a = store.create(no_host(), echo_request());
  auto b = store.create(no_host(), echo_request());
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->snapshot().id, b->snapshot().id);
  EXPECT_EQ(store.create(no_host(), echo_request()), nullptr) << "both are still running";
  a->cancel();
  auto c = store.create(no_host(), echo_request());
  ASSERT_TRUE(c);
  EXPECT_EQ(store.find(a->snapshot().id), nullptr);
  EXPECT_EQ(store.find(b->snapshot().id), b);
  EXPECT_EQ(store.size(), 2u);
}

TEST(TaskStore, EndedTasksExpire) {
  TaskStore store(TaskLimits{100, std::chrono::seconds(0)});
  auto a = store.create(no_host(), echo_request());
  a->cancel();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  store.create(no_host(), echo_request());
  EXPECT_EQ(store.find(a->snapshot().id), nullptr);
  EXPECT_EQ(store.size(), 1u);
}

TEST(TaskStore, IdsLookLikeUuids) {
  EXPECT_TRUE(std::regex_match(
      new_task_id(),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

}  // namespace
}  // namespace apflow::plugins::a2a
