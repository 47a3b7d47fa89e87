// Call: the plugin author's view of one module call or executor run (wraps apflow_call).
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/json.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace apflow::sdk {

enum class LogLevel {
  kTrace = APFLOW_LOG_TRACE,
  kDebug = APFLOW_LOG_DEBUG,
  kInfo = APFLOW_LOG_INFO,
  kWarn = APFLOW_LOG_WARN,
  kError = APFLOW_LOG_ERROR
};

class Call {
 public:
  explicit Call(apflow_call* raw) noexcept : raw_(raw) {}

  std::string_view module_id() const noexcept { return text(raw_->module_id); }
  // Empty for a direct module call; the task's id inside a tree.
  std::string_view task_id() const noexcept { return text(raw_->task_id); }
  std::string_view trace_id() const noexcept { return text(raw_->trace_id); }
  // Stable across retries of one attempt; pass it to services that deduplicate.
  std::string_view idempotency_key() const noexcept { return text(raw_->idempotency_key); }
  uint32_t attempt() const noexcept { return raw_->attempt; }
  // Milliseconds since the Unix epoch, or 0 when there is no deadline.
  int64_t deadline_ms() const noexcept { return raw_->deadline_ms; }

  bool is_cancelled() const noexcept { return raw_->is_cancelled(raw_) != 0; }
  // Throws Error(EXECUTION_CANCELLED) when cancelled: a convenient check point in loops.
  void throw_if_cancelled() const {
    if (is_cancelled()) throw Error("EXECUTION_CANCELLED", "the call was cancelled");
  }

  void progress(double fraction, const char* message = nullptr) noexcept {
    raw_->report_progress(raw_, fraction, message);
  }
  void usage(int64_t input_tokens, int64_t output_tokens, std::string_view model) {
    Json usage = make_object();
    set(usage, "input_tokens", input_tokens);
    set(usage, "output_tokens", output_tokens);
    set(usage, "model", model);
    const std::string text = to_json(usage);
    raw_->report_usage(raw_, text.data(), text.size());
  }
  void log(LogLevel level, const std::string& message) noexcept {
    raw_->log(raw_, static_cast<apflow_log_level>(level), message.c_str());
  }

  // Durable checkpoint of the running task; throws Error when the host cannot store it.
  void save_checkpoint(const rapidjson::Value& state) {
    const std::string text = to_json(state);
    ErrorCollector error;
    if (raw_->save_checkpoint(raw_, text.data(), text.size(), error.sink()) != APFLOW_OK) {
      error.raise("save_checkpoint");
    }
  }
  // The last saved checkpoint, or nothing.
  std::optional<Json> load_checkpoint() {
    TextCollector out;
    ErrorCollector error;
    if (raw_->load_checkpoint(raw_, out.sink(), error.sink()) != APFLOW_OK) {
      error.raise("load_checkpoint");
    }
    if (!out.written()) return std::nullopt;
    return parse_json(out.text());
  }

  apflow_call* raw() const noexcept { return raw_; }

 private:
  static std::string_view text(const char* s) noexcept { return s != nullptr ? s : ""; }

  apflow_call* raw_;
};

// Finishes an apflow_call exactly once; what every SDK base uses.
class Completion {
 public:
  explicit Completion(apflow_call* raw) noexcept : raw_(raw) {}
  Completion(Completion&& other) noexcept : raw_(std::exchange(other.raw_, nullptr)) {}
  Completion& operator=(Completion&&) = delete;
  Completion(const Completion&) = delete;
  // A completion dropped without an outcome still finishes the call, as an error.
  ~Completion() {
    if (raw_ != nullptr) fail(Error("MODULE_EXECUTE_ERROR", "the call ended without a result"));
  }

  void succeed(const rapidjson::Value& output) noexcept {
    if (raw_ == nullptr) return;
    std::string text;
    try {
      if (!output.IsObject()) {
        fail(Error("MODULE_EXECUTE_ERROR", "the module returned a non-object result"));
        return;
      }
      text = to_json(output);
    } catch (...) {
      fail(Error("GENERAL_INTERNAL_ERROR", "out of memory while serialising the result"));
      return;
    }
    apflow_call* raw = std::exchange(raw_, nullptr);
    raw->complete(raw, APFLOW_OK, text.data(), text.size(), nullptr);
  }
  void fail(const Error& error) noexcept {
    if (raw_ == nullptr) return;
    apflow_status status = APFLOW_ERROR;
    if (error.code() == "EXECUTION_CANCELLED") status = APFLOW_CANCELLED;
    if (error.code() == "MODULE_TIMEOUT") status = APFLOW_TIMEOUT;
    const apflow_error view = error.view();
    apflow_call* raw = std::exchange(raw_, nullptr);
    raw->complete(raw, status, nullptr, 0, &view);
  }

 private:
  apflow_call* raw_;
};

}  // namespace apflow::sdk
