#include "cli/cli_errors.h"

#include <apflow/sdk/json.h>

namespace apflow::plugins::cli {
namespace {

// The field of the first validation error: {"errors":[{"field":"/x", ...}]}.
std::string first_field(std::string_view details_json) {
  if (details_json.empty()) return {};
  rapidjson::Document details;
  details.Parse(details_json.data(), details_json.size());
  if (details.HasParseError() || !details.IsObject()) return {};
  const auto errors = details.FindMember("errors");
  if (errors == details.MemberEnd() || !errors->value.IsArray() || errors->value.Empty()) {
    return {};
  }
  return sdk::get_string(errors->value[0], "field");
}

}  // namespace

int exit_code_for(std::string_view code) {
  if (code == "MODULE_NOT_FOUND" || code == "MODULE_DISABLED" || code == "MODULE_LOAD_ERROR") {
    return kExitNotFound;
  }
  if (code == "SCHEMA_VALIDATION_ERROR") return kExitSchema;
  if (code == "GENERAL_INVALID_INPUT") return kExitUsage;
  if (code.starts_with("APPROVAL_")) return kExitApproval;
  if (code.starts_with("CONFIG_")) return kExitConfig;
  if (code == "CLI_FLAG_COLLISION" || code == "SCHEMA_CIRCULAR_REF") return kExitCollision;
  if (code == "ACL_DENIED") return kExitAccess;
  return kExitFailed;
}

std::string error_line(std::string_view code, std::string_view message,
                       std::string_view details_json) {
  std::string line = "error: " + std::string(code) + ": " + std::string(message);
  if (const std::string field = first_field(details_json); !field.empty()) {
    line += " (field: " + field + ")";
  }
  return line;
}

}  // namespace apflow::plugins::cli
