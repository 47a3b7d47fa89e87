// Exit codes (apcore-cli's) and the one-line error report every command prints on stderr.
#pragma once

#include <string>
#include <string_view>

namespace apflow::plugins::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;         // execution error or timeout
constexpr int kExitUsage = 2;          // bad usage or input
constexpr int kExitNotFound = 44;      // module (or command) not found, disabled, not loaded
constexpr int kExitSchema = 45;        // SCHEMA_VALIDATION_ERROR
constexpr int kExitApproval = 46;      // approval denied, pending or timed out
constexpr int kExitConfig = 47;        // configuration
constexpr int kExitCollision = 48;     // flag collision or circular reference
constexpr int kExitAccess = 77;        // ACL_DENIED
constexpr int kExitInterrupted = 130;  // Ctrl-C

// The exit code for an apcore error code.
int exit_code_for(std::string_view code);

// `error: CODE: message`, with ` (field: /x)` when `details_json` names the offending field.
std::string error_line(std::string_view code, std::string_view message,
                       std::string_view details_json = {});

}  // namespace apflow::plugins::cli
