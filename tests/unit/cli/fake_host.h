// An in-process stand-in for the host API: modules are C++ functions and events are published by
// the test, so `apflow run`'s orchestration can be tested without the engine.
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/json.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace apflow::plugins::cli::testing {

class FakeHost {
 public:
  // Returns the output or throws sdk::Error; runs inside invoke(), before it returns.
  using Module = std::function<sdk::Json(const sdk::Json& input)>;

  FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const apflow_host_api* api() const noexcept { return &api_; }
  void add_module(const std::string& id, Module module) { modules_[id] = std::move(module); }
  // Sends an event to the subscribers of its tree ("task_tree_id").
  void publish(const std::string& event_json);
  // What happened, in order: "call <module> <input>" and "subscribe <tree id>".
  std::vector<std::string> log() const;

 private:
  struct Subscriber {
    std::string tree_id;
    void* user_data;
    void (*on_event)(void*, const char*, size_t);
  };
  friend struct FakeHostTrampolines;

  apflow_host_api api_{};
  std::map<std::string, Module> modules_;
  mutable std::mutex mutex_;
  std::map<int, Subscriber> subscribers_;
  int next_subscriber_ = 1;
  std::vector<std::string> log_;
};

}  // namespace apflow::plugins::cli::testing
