// ModuleCall: one invocation of a module, and the apflow_call a plugin sees for it.
// The first outcome wins (the module's own completion, a timeout or a cancellation); a later
// completion by the module is absorbed. The call stays alive until the module has completed,
// even when the caller has long moved on.
#pragma once

#include <apflow/abi.h>
#include <rapidjson/document.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "registry/module_record.h"

namespace apflow::registry {

struct CallOutcome {
  apflow_status status = APFLOW_OK;
  std::string output_json;  // the result object when status is APFLOW_OK
  std::string error_code;   // otherwise: an apcore error code
  std::string error_message;
  std::string error_details_json;  // a JSON object, or empty
  bool retryable = false;

  bool ok() const noexcept { return status == APFLOW_OK; }
  static CallOutcome failure(apflow_status status, std::string_view code, std::string message,
                             std::string details_json = {});
  // {"code":..,"message":..,"details":..,"retryable":..}
  std::string error_json() const;
};

// What a caller hears about its call. on_done fires exactly once; the others may not at all.
struct CallObserver {
  std::function<void(double fraction, std::string_view message)> on_progress;
  std::function<void(std::string_view usage_json)> on_usage;
  std::function<void(const CallOutcome& outcome)> on_done;
};

// Where a task run keeps its checkpoint; absent for direct module calls.
struct CheckpointStore {
  std::function<void(std::string_view json)> save;
  std::function<std::optional<std::string>()> load;
};

struct CallIdentity {
  std::string task_id;
  std::string trace_id;
  std::string idempotency_key;
  std::string caller_id;
  uint32_t attempt = 1;
  int64_t deadline_ms = 0;  // Unix epoch milliseconds; 0 = none
};

class ModuleCall : public std::enable_shared_from_this<ModuleCall> {
 public:
  ModuleCall(std::shared_ptr<const ModuleRecord> module, CallIdentity identity,
             CallObserver observer, std::optional<CheckpointStore> checkpoints = std::nullopt);
  ModuleCall(const ModuleCall&) = delete;
  ModuleCall& operator=(const ModuleCall&) = delete;

  // Hands the call to the module's invoker. The call keeps itself alive until it completes.
  // `parsed_input`, when given, is input_json already parsed (by the input check); the
  // invoker may take it with take_input() during start().
  void start(std::string_view input_json, rapidjson::Document* parsed_input = nullptr);

  // For the host's own invokers: the input as a document, parsed once for the whole call.
  rapidjson::Document take_input(std::string_view input_json);
  // For the host's own invokers: completes with `output` (an object whose text is
  // output_json), checked against the output schema as the document it already is.
  void complete_output(const rapidjson::Value& output, std::string output_json);

  // Host-side completion paths; the first outcome wins.
  void complete(CallOutcome outcome);
  void cancel(std::string_view reason = "the call was cancelled");
  void expire();

  bool is_cancelled() const noexcept { return cancelled_.load(); }
  bool is_done() const noexcept { return delivered_.load(); }
  const ModuleRecord& module() const noexcept { return *module_; }
  const CallIdentity& identity() const noexcept { return identity_; }
  apflow_call* abi() noexcept { return &abi_; }

 private:
  static ModuleCall& self(const apflow_call* call);
  static void abi_complete(apflow_call* call, apflow_status status, const char* output, size_t size,
                           const apflow_error* error);
  static int abi_is_cancelled(const apflow_call* call);
  static void abi_progress(apflow_call* call, double fraction, const char* message);
  static void abi_usage(apflow_call* call, const char* usage, size_t size);
  static void abi_log(apflow_call* call, apflow_log_level level, const char* message);
  static apflow_status abi_save_checkpoint(apflow_call* call, const char* json, size_t size,
                                           apflow_error_sink* error);
  static apflow_status abi_load_checkpoint(apflow_call* call, apflow_text_sink* out,
                                           apflow_error_sink* error);

  // The module's own completion: checks the output against the output schema.
  CallOutcome module_outcome(apflow_status status, std::string_view output,
                             const apflow_error* error) const;
  // Why a parsed output is refused (not an object, or against the output schema), if it is.
  std::optional<CallOutcome> output_failure(const rapidjson::Value& output) const;
  // Delivers what make_outcome() gives once the module completes; a no-op after a failed start.
  template <typename MakeOutcome>
  void module_completed(MakeOutcome&& make_outcome);
  void deliver(const CallOutcome& outcome);

  std::shared_ptr<const ModuleRecord> module_;
  CallIdentity identity_;
  CallObserver observer_;
  std::optional<CheckpointStore> checkpoints_;
  apflow_call abi_{};
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> delivered_{false};
  std::mutex running_mutex_;
  std::shared_ptr<ModuleCall> running_;          // self-reference held while the module runs
  rapidjson::Document* parsed_input_ = nullptr;  // set during start() only
};

}  // namespace apflow::registry
