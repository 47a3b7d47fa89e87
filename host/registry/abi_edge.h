// Small helpers for the host side of the C ABI, shared by the call object (registry) and the
// plugin binding (plugins): log levels and reporting an error to a plugin's sink.
#pragma once

#include <apflow/abi.h>
#include <spdlog/common.h>

#include <string>
#include <string_view>

namespace apflow::registry {

inline spdlog::level::level_enum to_spdlog(apflow_log_level level) {
  switch (level) {
    case APFLOW_LOG_TRACE:
      return spdlog::level::trace;
    case APFLOW_LOG_DEBUG:
      return spdlog::level::debug;
    case APFLOW_LOG_INFO:
      return spdlog::level::info;
    case APFLOW_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

// Hands one error to a sink (NULL sinks are allowed). `retryable` 0: the host reports facts.
inline void report_error(apflow_error_sink* sink, std::string_view code,
                         const std::string& message) {
  if (sink == nullptr || sink->report == nullptr) return;
  const std::string code_text(code);
  const apflow_error error{sizeof(apflow_error), code_text.c_str(), message.c_str(), nullptr, 0};
  sink->report(sink->context, &error);
}

}  // namespace apflow::registry
