// The error codes of docs/storage.md and the throw helpers every operation uses. They throw
// apflow::sdk::Error, which the SDK turns into an apflow_error at the ABI edge.
#pragma once

#include <apflow/sdk/error.h>

#include <string>

namespace apflow::plugins::storage {

namespace codes {
inline constexpr const char* kInvalidRequest = "STORAGE_INVALID_REQUEST";
inline constexpr const char* kNotFound = "TASK_NOT_FOUND";
inline constexpr const char* kExists = "TASK_EXISTS";
inline constexpr const char* kConflict = "TASK_CONFLICT";
inline constexpr const char* kRunning = "TASK_RUNNING";
inline constexpr const char* kStorageError = "STORAGE_ERROR";
}  // namespace codes

[[noreturn]] inline void throw_invalid(const std::string& message) {
  throw sdk::Error(codes::kInvalidRequest, message, {}, sdk::Retry::kNo);
}

[[noreturn]] inline void throw_error(const char* code, const std::string& message,
                                     std::string details_json = {}) {
  throw sdk::Error(code, message, std::move(details_json), sdk::Retry::kNo);
}

}  // namespace apflow::plugins::storage
