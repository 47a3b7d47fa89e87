// Invocation: one module call a plugin started through the host (wraps apflow_host_api::invoke).
// Protocol front-ends use it through Host::invoke (asynchronous) and Host::call (blocking).
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/error.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace apflow::sdk {

// How a module call ended.
struct CallResult {
  apflow_status status = APFLOW_ERROR;
  std::string output;  // the result object as JSON text, when ok()
  std::string code;    // apcore error code, when not ok()
  std::string message;
  std::string details;  // JSON object text, or empty

  bool ok() const noexcept { return status == APFLOW_OK; }
};

struct InvokeOptions {
  int64_t timeout_ms = 0;  // 0: the host's configured default
  std::string caller_id;   // who is calling ("mcp", "cli"); empty for none
  // Progress the module reports, from any thread, while the call runs.
  std::function<void(double fraction, std::string_view message)> on_progress;
};

// Owns the host's handle of one running call. Destroying it (or release()) does not cancel the
// call: on_done still arrives exactly once.
class Invocation {
 public:
  using DoneFn = std::function<void(CallResult)>;

  Invocation() = default;
  Invocation(Invocation&& other) noexcept
      : api_(other.api_), handle_(std::exchange(other.handle_, nullptr)) {}
  Invocation& operator=(Invocation&& other) noexcept {
    if (this != &other) {
      release();
      api_ = other.api_;
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Invocation(const Invocation&) = delete;
  Invocation& operator=(const Invocation&) = delete;
  ~Invocation() { release(); }

  // Starts the call. on_done runs exactly once, from any thread, possibly before start()
  // returns. Throws Error when the host refuses to start it (then on_done never runs).
  static Invocation start(const apflow_host_api* api, std::string_view module_id,
                          std::string_view input_json, InvokeOptions options, DoneFn on_done) {
    auto state = std::make_unique<State>(State{std::move(options.on_progress), std::move(on_done)});
    const std::string id(module_id);
    apflow_invoke_request request{};
    request.struct_size = sizeof(request);
    request.module_id = id.c_str();
    request.input_json = input_json.data();
    request.input_size = input_json.size();
    request.timeout_ms = options.timeout_ms;
    request.caller_id = options.caller_id.empty() ? nullptr : options.caller_id.c_str();
    request.user_data = state.get();
    request.on_progress = state->on_progress ? &State::progress : nullptr;
    request.on_done = &State::done;
    Invocation invocation;
    invocation.api_ = api;
    ErrorCollector error;
    if (api->invoke(api, &request, &invocation.handle_, error.sink()) != APFLOW_OK) {
      error.raise("invoke");
    }
    state.release();  // State::done owns it from here on
    return invocation;
  }

  // Asks the call to stop; on_done still arrives (usually with APFLOW_CANCELLED).
  void cancel() const noexcept {
    if (handle_ != nullptr) api_->cancel_invocation(handle_);
  }
  void release() noexcept {
    if (handle_ != nullptr) api_->release_invocation(std::exchange(handle_, nullptr));
  }
  explicit operator bool() const noexcept { return handle_ != nullptr; }

 private:
  struct State {
    std::function<void(double, std::string_view)> on_progress;
    DoneFn on_done;

    static void progress(void* user_data, double fraction, const char* message) {
      auto* state = static_cast<State*>(user_data);
      try {
        state->on_progress(fraction, message != nullptr ? message : "");
      } catch (...) {  // a progress line is not worth failing the call over
      }
    }
    static void done(void* user_data, apflow_status status, const char* output, size_t size,
                     const apflow_error* error) {
      std::unique_ptr<State> state(static_cast<State*>(user_data));
      CallResult result;
      result.status = status;
      if (status == APFLOW_OK) {
        result.output.assign(output != nullptr ? output : "{}", output != nullptr ? size : 2);
      } else if (error != nullptr) {
        result.code = error->code != nullptr ? error->code : "MODULE_EXECUTE_ERROR";
        result.message = error->message != nullptr ? error->message : "";
        result.details = error->details_json != nullptr ? error->details_json : "";
      } else {
        result.code = "MODULE_EXECUTE_ERROR";
        result.message = "the call failed without saying why";
      }
      try {
        state->on_done(std::move(result));
      } catch (...) {  // exceptions must not cross into the host
      }
    }
  };

  const apflow_host_api* api_ = nullptr;
  apflow_invocation* handle_ = nullptr;
};

}  // namespace apflow::sdk
