#include "a2a/task_store.h"

#include <algorithm>
#include <random>
#include <vector>

namespace apflow::plugins::a2a {

std::string new_task_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) id.push_back('-');
    unsigned digit = static_cast<unsigned>(random() % 16);
    if (i == 12) digit = 4;                // version 4
    if (i == 16) digit = 8 | (digit & 3);  // variant 10xx
    id.push_back(kHex[digit]);
  }
  return id;
}

std::shared_ptr<A2aTask> TaskStore::create(sdk::Host host, SendRequest request) {
  std::lock_guard lock(mutex_);
  sweep();
  if (tasks_.size() >= limits_.max_tasks) return nullptr;
  std::string id = new_task_id();
  while (tasks_.count(id) != 0) id = new_task_id();
  auto task = std::make_shared<A2aTask>(host, id, std::move(request));
  tasks_.emplace(std::move(id), task);
  return task;
}

void TaskStore::sweep() {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(tasks_, [&](const auto& item) {
    return item.second->terminal() && now - item.second->finished_at() > limits_.keep_finished;
  });
  if (tasks_.size() < limits_.max_tasks) return;
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> finished;
  for (const auto& [id, task] : tasks_) {
    if (task->terminal()) finished.emplace_back(task->finished_at(), id);
  }
  std::sort(finished.begin(), finished.end());
  for (const auto& [when, id] : finished) {
    if (tasks_.size() < limits_.max_tasks) break;
    tasks_.erase(id);
  }
}

std::shared_ptr<A2aTask> TaskStore::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : it->second;
}

void TaskStore::abort_all() {
  std::map<std::string, std::shared_ptr<A2aTask>> tasks;
  {
    std::lock_guard lock(mutex_);
    tasks = tasks_;
  }
  for (auto& [id, task] : tasks) {
    if (!task->terminal()) task->abort();
  }
}

size_t TaskStore::size() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

}  // namespace apflow::plugins::a2a
