// apflow::Error: the one exception type inside the host, carrying an apcore error code.
// Everything in host/ may include this; it includes nothing of the host.
// At the ABI edge it becomes an apflow_error (see plugins/abi_bridge.h).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace apflow {

// apcore error codes used by the host (apcore-protocols.md §1.8). Plugins may use their own
// `<SEGMENT>_<NAME>` codes; those travel as plain strings.
namespace codes {
inline constexpr std::string_view kModuleNotFound = "MODULE_NOT_FOUND";
inline constexpr std::string_view kModuleDisabled = "MODULE_DISABLED";
inline constexpr std::string_view kModuleLoadError = "MODULE_LOAD_ERROR";
inline constexpr std::string_view kModuleExecuteError = "MODULE_EXECUTE_ERROR";
inline constexpr std::string_view kModuleTimeout = "MODULE_TIMEOUT";
inline constexpr std::string_view kExecutionCancelled = "EXECUTION_CANCELLED";
inline constexpr std::string_view kSchemaValidationError = "SCHEMA_VALIDATION_ERROR";
inline constexpr std::string_view kSchemaParseError = "SCHEMA_PARSE_ERROR";
inline constexpr std::string_view kGeneralInvalidInput = "GENERAL_INVALID_INPUT";
inline constexpr std::string_view kGeneralInternalError = "GENERAL_INTERNAL_ERROR";
inline constexpr std::string_view kGeneralNotImplemented = "GENERAL_NOT_IMPLEMENTED";
inline constexpr std::string_view kInvalidModuleId = "INVALID_MODULE_ID";
inline constexpr std::string_view kDuplicateModuleId = "DUPLICATE_MODULE_ID";
inline constexpr std::string_view kConfigNotFound = "CONFIG_NOT_FOUND";
inline constexpr std::string_view kConfigInvalid = "CONFIG_INVALID";
inline constexpr std::string_view kPluginLoadError = "PLUGIN_LOAD_ERROR";
}  // namespace codes

// True when apcore says a failure with this code may succeed if tried again.
bool is_retryable_code(std::string_view code);

class Error : public std::runtime_error {
 public:
  Error(std::string_view code, const std::string& message, std::string details_json = {})
      : std::runtime_error(message), code_(code), details_json_(std::move(details_json)) {}

  const std::string& code() const noexcept { return code_; }
  // A JSON object with specifics, or empty.
  const std::string& details_json() const noexcept { return details_json_; }

 private:
  std::string code_;
  std::string details_json_;
};

}  // namespace apflow
