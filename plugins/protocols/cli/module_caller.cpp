#include "cli/module_caller.h"

namespace apflow::plugins::cli {

CallOutcome ModuleCaller::call(const std::string& module_id, const std::string& input_json,
                               int64_t timeout_ms, bool stoppable) const {
  if (host_.log_enabled(sdk::LogLevel::kDebug)) {
    host_.log(sdk::LogLevel::kDebug, "calling " + module_id);
  }
  sdk::InvokeOptions options;
  options.timeout_ms = timeout_ms;
  options.caller_id = "cli";
  bool cancelled = false;
  sdk::CallResult result = host_.call(module_id, input_json, std::move(options), [&] {
    cancelled = stoppable && stop_.load();
    return cancelled;
  });
  CallOutcome outcome;
  outcome.ok = result.ok();
  outcome.interrupted = cancelled;
  outcome.output = std::move(result.output);
  outcome.code = std::move(result.code);
  outcome.message = std::move(result.message);
  outcome.details = std::move(result.details);
  return outcome;
}

}  // namespace apflow::plugins::cli
