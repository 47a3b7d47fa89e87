// CallPipeline: the one way every front-end calls a module.
// lookup -> parse and validate input against the schema -> run on a worker with a deadline and
// cancellation -> output check and error mapping to apcore codes.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/deadline_watcher.h"
#include "registry/module_call.h"
#include "registry/registry.h"

namespace apflow::registry {

struct CallRequest {
  std::string module_id{};
  std::string input_json{};
  int64_t timeout_ms = 0;   // 0: the pipeline's default
  CallIdentity identity{};  // deadline_ms is filled in by the pipeline
  std::optional<CheckpointStore> checkpoints{};
  // The caller accepts that a module annotated "apflow.inline" runs on its own thread, before
  // start() returns (the scheduler and plugins calling through the ABI do).
  bool allow_inline = false;
};

class CallPipeline {
 public:
  CallPipeline(const Registry& registry, int64_t default_timeout_ms, size_t worker_threads);
  ~CallPipeline();  // waits for queued work to finish
  CallPipeline(const CallPipeline&) = delete;
  CallPipeline& operator=(const CallPipeline&) = delete;

  // Starts a call. observer.on_done fires exactly once, from any thread; for an unknown module
  // it fires before start() returns and the result is nullptr. Otherwise the result lets the
  // caller cancel; an input the schema refuses is reported through on_done from a worker.
  std::shared_ptr<ModuleCall> start(CallRequest request, CallObserver observer);

  // Waits for every queued and running invocation to return; call before plugins shut down.
  void drain();

  // Blocking convenience over start().
  CallOutcome call(CallRequest request);

  // Checks `input_json` against module's input schema; returns the failure or nothing.
  // `parsed`, when given, receives the input as parsed for the check, so that a module of the
  // host's own need not parse it again.
  static std::optional<CallOutcome> validate_input(const ModuleRecord& module,
                                                   std::string_view input_json,
                                                   rapidjson::Document* parsed = nullptr);

 private:
  const Registry& registry_;
  int64_t default_timeout_ms_;
  boost::asio::thread_pool workers_;
  DeadlineWatcher deadlines_;
};

}  // namespace apflow::registry
