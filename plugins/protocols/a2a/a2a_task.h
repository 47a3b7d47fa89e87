// One A2A task: the module call it runs through the host, its state, and the listeners (open
// SSE streams, a waiting message/send) told of every change. An A2A task id is not an apflow
// task id: the task runs one module call, which may itself run an apflow task tree.
#pragma once

#include <apflow/sdk/host.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "a2a/a2a_wire.h"
#include "a2a/send_request.h"

namespace apflow::plugins::a2a {

// What changed: the status (progress text, or the final state) or the output artifact.
enum class Change { kStatus, kArtifact };

class A2aTask : public std::enable_shared_from_this<A2aTask> {
 public:
  // Called under the task's lock, in order; must not block (it queues bytes on a connection).
  // After a change to a terminal state the listener is dropped.
  using Listener = std::function<void(const TaskSnapshot&, Change)>;

  A2aTask(sdk::Host host, std::string id, SendRequest request);

  // Starts the module call; the task is WORKING from its creation.
  void start();
  // The client cancels: CANCELED at once, the call cancelled, and for a module running an
  // apflow tree (apflow.task.execute) the tree cancelled too. False when already terminal.
  bool cancel();
  // The server stops: the call is cancelled, the tree left to the engine.
  void abort();

  // Calls on_now with the current snapshot and, unless it is terminal, keeps `listener` for the
  // changes after it, both under one lock so that no change falls in between. Returns whether
  // the task was still running.
  bool attach(const std::function<void(const TaskSnapshot&)>& on_now, Listener listener);

  TaskSnapshot snapshot() const;
  bool terminal() const;
  // When the task reached its terminal state (for expiry); meaningful only when terminal().
  std::chrono::steady_clock::time_point finished_at() const;

 private:
  void watch_tree();
  void progress(const std::string& text);
  void finish(sdk::CallResult result);
  // Sets the state under the lock and tells the listeners. False when already terminal.
  bool change(TaskState state, std::string text, std::string data, Change what);
  void cancel_tree() const;

  sdk::Host host_;
  SendRequest request_;
  mutable std::mutex mutex_;
  TaskSnapshot task_;
  std::vector<Listener> listeners_;
  std::chrono::steady_clock::time_point finished_at_;
  sdk::Invocation invocation_;
  sdk::EventSubscription events_;
  bool started_ = false;
  bool cancel_pending_ = false;  // cancelled before invoke() returned
};

// One line telling what happened in an apflow tree, e.g. "task_completed 'fetch' (50%)".
std::string describe_event(const rapidjson::Value& event);

}  // namespace apflow::plugins::a2a
