// The exception a plugin throws to fail a call with a precise apcore error code.
// The SDK turns it (and any other exception) into an apflow_error at the ABI edge.
#pragma once

#include <apflow/abi.h>

#include <stdexcept>
#include <string>

namespace apflow::sdk {

enum class Retry { kDefault = -1, kNo = 0, kYes = 1 };

class Error : public std::runtime_error {
 public:
  // code: an apcore code (MODULE_EXECUTE_ERROR, GENERAL_INVALID_INPUT, ...) or the plugin's own
  // <SEGMENT>_<NAME>; message: what was wrong and how to fix it; details_json: an object or "".
  Error(std::string code, const std::string& message, std::string details_json = {},
        Retry retry = Retry::kDefault)
      : std::runtime_error(message),
        code_(std::move(code)),
        details_json_(std::move(details_json)),
        retry_(retry) {}

  const std::string& code() const noexcept { return code_; }
  const std::string& details_json() const noexcept { return details_json_; }
  Retry retry() const noexcept { return retry_; }

  // A borrowed view for the ABI; valid while *this lives.
  apflow_error view() const noexcept {
    return apflow_error{sizeof(apflow_error), code_.c_str(), what(),
                        details_json_.empty() ? nullptr : details_json_.c_str(),
                        static_cast<int32_t>(retry_)};
  }

 private:
  std::string code_;
  std::string details_json_;
  Retry retry_;
};

// Reports an error to a sink (NULL sinks are allowed and ignored).
inline void report(apflow_error_sink* sink, const apflow_error& error) {
  if (sink != nullptr && sink->report != nullptr) sink->report(sink->context, &error);
}
inline void report(apflow_error_sink* sink, const char* code, const char* message) {
  report(sink, apflow_error{sizeof(apflow_error), code, message, nullptr, -1});
}

// Collects an error reported by the other side into an sdk::Error.
class ErrorCollector {
 public:
  ErrorCollector() : sink_{sizeof(apflow_error_sink), this, &ErrorCollector::receive} {}
  ErrorCollector(const ErrorCollector&) = delete;
  ErrorCollector& operator=(const ErrorCollector&) = delete;

  apflow_error_sink* sink() noexcept { return &sink_; }
  // Throws the collected error, or a generic one naming `what` when none was reported.
  [[noreturn]] void raise(const char* what) const {
    if (has_error_) throw Error(code_, message_, details_);
    throw Error("GENERAL_INTERNAL_ERROR", std::string(what) + " failed without a reason");
  }

 private:
  static void receive(void* context, const apflow_error* error) {
    auto* self = static_cast<ErrorCollector*>(context);
    self->has_error_ = true;
    self->code_ = error->code != nullptr ? error->code : "GENERAL_INTERNAL_ERROR";
    self->message_ = error->message != nullptr ? error->message : "";
    self->details_ = error->details_json != nullptr ? error->details_json : "";
  }

  apflow_error_sink sink_;
  bool has_error_ = false;
  std::string code_;
  std::string message_;
  std::string details_;
};

// Collects text written to a sink.
class TextCollector {
 public:
  TextCollector() : sink_{sizeof(apflow_text_sink), this, &TextCollector::receive} {}
  TextCollector(const TextCollector&) = delete;
  TextCollector& operator=(const TextCollector&) = delete;

  apflow_text_sink* sink() noexcept { return &sink_; }
  bool written() const noexcept { return written_; }
  const std::string& text() const noexcept { return text_; }

 private:
  static void receive(void* context, const char* data, size_t size) {
    auto* self = static_cast<TextCollector*>(context);
    self->written_ = true;
    self->text_.append(data, size);
  }

  apflow_text_sink sink_;
  bool written_ = false;
  std::string text_;
};

}  // namespace apflow::sdk
