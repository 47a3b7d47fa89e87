#include "cli/module_caller.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace apflow::plugins::cli {
namespace {

// Shared with on_done, which may run on another thread after call() has given up waiting.
struct Pending {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  CallOutcome outcome;
};

void on_done(void* user_data, apflow_status status, const char* output, size_t size,
             const apflow_error* error) {
  std::unique_ptr<std::shared_ptr<Pending>> owner(
      static_cast<std::shared_ptr<Pending>*>(user_data));
  Pending& pending = **owner;
  std::lock_guard lock(pending.mutex);
  CallOutcome& outcome = pending.outcome;
  outcome.ok = status == APFLOW_OK;
  if (outcome.ok) {
    outcome.output.assign(output != nullptr ? output : "{}", output != nullptr ? size : 2);
  } else if (error != nullptr) {
    outcome.code = error->code != nullptr ? error->code : "MODULE_EXECUTE_ERROR";
    outcome.message = error->message != nullptr ? error->message : "";
    outcome.details = error->details_json != nullptr ? error->details_json : "";
  } else {
    outcome.code = "MODULE_EXECUTE_ERROR";
    outcome.message = "the call failed without saying why";
  }
  pending.done = true;
  pending.done_cv.notify_all();
}

CallOutcome refused(sdk::ErrorCollector& error) {
  CallOutcome outcome;
  try {
    error.raise("invoke");
  } catch (const sdk::Error& e) {
    outcome.code = e.code();
    outcome.message = e.what();
    outcome.details = e.details_json();
  }
  return outcome;
}

}  // namespace

CallOutcome ModuleCaller::call(const std::string& module_id, const std::string& input_json,
                               int64_t timeout_ms, bool stoppable) const {
  if (host_.log_enabled(sdk::LogLevel::kDebug)) {
    host_.log(sdk::LogLevel::kDebug, "calling " + module_id);
  }
  auto pending = std::make_shared<Pending>();
  apflow_invoke_request request{};
  request.struct_size = sizeof(request);
  request.module_id = module_id.c_str();
  request.input_json = input_json.data();
  request.input_size = input_json.size();
  request.timeout_ms = timeout_ms;
  request.caller_id = "cli";
  request.user_data = new std::shared_ptr<Pending>(pending);
  request.on_done = &on_done;
  const apflow_host_api* api = host_.raw();
  apflow_invocation* invocation = nullptr;
  sdk::ErrorCollector error;
  if (api->invoke(api, &request, &invocation, error.sink()) != APFLOW_OK) {
    // Nothing started, so on_done will never free its reference.
    delete static_cast<std::shared_ptr<Pending>*>(request.user_data);
    return refused(error);
  }
  bool cancelled = false;
  std::unique_lock lock(pending->mutex);
  while (!pending->done) {
    if (stoppable && !cancelled && stop_.load()) {
      cancelled = true;
      lock.unlock();
      api->cancel_invocation(invocation);
      lock.lock();
      continue;
    }
    // Polled: request_stop may only set a flag, so nothing wakes this wait when it does.
    pending->done_cv.wait_for(lock, std::chrono::milliseconds(50));
  }
  CallOutcome outcome = std::move(pending->outcome);
  lock.unlock();
  api->release_invocation(invocation);
  outcome.interrupted = cancelled;
  return outcome;
}

}  // namespace apflow::plugins::cli
