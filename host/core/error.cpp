#include "core/error.h"

#include <array>

namespace apflow {

bool is_retryable_code(std::string_view code) {
  static constexpr std::array<std::string_view, 5> kRetryable = {
      codes::kModuleTimeout, codes::kExecutionCancelled, "APPROVAL_TIMEOUT",
      codes::kGeneralInternalError, "RELOAD_FAILED"};
  for (auto candidate : kRetryable) {
    if (candidate == code) return true;
  }
  return false;
}

}  // namespace apflow
