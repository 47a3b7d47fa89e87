#include "common/call_error.h"

namespace apflow::plugins::protocols {

sdk::Json call_error(const sdk::CallResult& result) {
  sdk::Json error = sdk::make_object();
  sdk::set(error, "code", result.code);
  sdk::set(error, "message", result.message);
  if (!result.details.empty()) {
    sdk::Json details;
    details.Parse(result.details.data(), result.details.size());
    if (!details.HasParseError()) sdk::set(error, "details", details);
  }
  return error;
}

}  // namespace apflow::plugins::protocols
