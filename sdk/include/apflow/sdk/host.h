// Host: a plugin's view of the host services (wraps apflow_host_api).
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/call.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/events.h>
#include <apflow/sdk/invocation.h>
#include <apflow/sdk/json.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace apflow::sdk {

class Host {
 public:
  explicit Host(const apflow_host_api* api) noexcept : api_(api) {}

  bool log_enabled(LogLevel level) const noexcept {
    return api_->log_enabled(api_, static_cast<apflow_log_level>(level)) != 0;
  }
  void log(LogLevel level, const std::string& message) const noexcept {
    api_->log(api_, static_cast<apflow_log_level>(level), message.c_str());
  }
  std::string_view host_version() const noexcept { return api_->host_version; }

  // Every module descriptor in the registry, as a JSON array (apcore wire form).
  Json list_modules() const {
    TextCollector out;
    ErrorCollector error;
    if (api_->list_modules(api_, out.sink(), error.sink()) != APFLOW_OK) {
      error.raise("list_modules");
    }
    return parse_json(out.text());
  }

  // Calls a module through the host's pipeline (lookup, validation, deadline, cancellation).
  // on_done runs exactly once from any thread, possibly before invoke() returns; the returned
  // handle can cancel the call. Throws Error when the host refuses to start it.
  Invocation invoke(std::string_view module_id, std::string_view input_json, InvokeOptions options,
                    Invocation::DoneFn on_done) const {
    return Invocation::start(api_, module_id, input_json, std::move(options), std::move(on_done));
  }

  // Calls a module and waits for the outcome. A refusal to start comes back as a failed
  // result, not an exception. When `should_stop` (polled, since a stop request may only set a
  // flag) turns true the call is cancelled, and the cancelled outcome is awaited.
  CallResult call(std::string_view module_id, std::string_view input_json,
                  InvokeOptions options = {},
                  const std::function<bool()>& should_stop = nullptr) const {
    // Shared with on_done, which may still run after an exception leaves this function.
    struct Pending {
      std::mutex mutex;
      std::condition_variable done_cv;
      bool done = false;
      CallResult result;
    };
    auto pending = std::make_shared<Pending>();
    Invocation invocation;
    try {
      invocation = invoke(module_id, input_json, std::move(options), [pending](CallResult r) {
        std::lock_guard lock(pending->mutex);
        pending->result = std::move(r);
        pending->done = true;
        pending->done_cv.notify_all();
      });
    } catch (const Error& e) {
      return CallResult{APFLOW_ERROR, {}, e.code(), e.what(), e.details_json()};
    }
    bool cancelled = false;
    std::unique_lock lock(pending->mutex);
    while (!pending->done) {
      if (should_stop && !cancelled && should_stop()) {
        cancelled = true;
        lock.unlock();
        invocation.cancel();
        lock.lock();
        continue;
      }
      pending->done_cv.wait_for(lock, std::chrono::milliseconds(50));
    }
    return std::move(pending->result);
  }

  // True when the host can deliver task events (subscribe_events).
  bool has_events() const noexcept { return host_has_events(api_); }
  // Task events matching filter_json ("{}" or {"task_tree_id":"..."}), one per on_event call
  // from any host thread, until the subscription is destroyed. Throws Error when refused.
  EventSubscription subscribe_events(std::string_view filter_json,
                                     EventSubscription::EventFn on_event) const {
    return EventSubscription::start(api_, filter_json, std::move(on_event));
  }

  const apflow_host_api* raw() const noexcept { return api_; }

 private:
  const apflow_host_api* api_;
};

}  // namespace apflow::sdk
