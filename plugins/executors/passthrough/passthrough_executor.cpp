// passthrough_executor returns its inputs as its result, optionally after a delay: the wiring
// piece of task trees (collect, rename, wait). noop_executor does nothing: the benchmarks' task.
// Knows only the SDK.
#include <apflow/sdk/sdk.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace apflow::plugins::passthrough {
namespace {

namespace sdk = apflow::sdk;

class Passthrough final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "passthrough_executor";
  static constexpr std::string_view kName = "Passthrough Executor";
  static constexpr std::string_view kDescription =
      "Returns its inputs (with injected dependency results) as its result.";
  static constexpr std::string_view kInputSchema = R"({"type":"object","properties":{
      "delay_ms":{"type":"integer","minimum":0,"maximum":86400000,
                  "description":"Wait this long first; cancellable"}}})";
  static constexpr std::string_view kOutputSchema = R"({"type":"object"})";
  // Not inline: with delay_ms it waits, and an inline executor would hold the scheduler's
  // thread (and every other task) for that long.
  static constexpr std::string_view kAnnotations =
      R"({"readonly":true,"idempotent":true,"open_world":false})";
  static constexpr std::string_view kTags = R"(["core"])";
  static constexpr std::string_view kExamples = R"([{"title":"Pass a value on",
      "inputs":{"city":"Paris"},"output":{"city":"Paris"}}])";

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    const int64_t delay = sdk::get_int(inputs, "delay_ms", 0);
    const auto start = std::chrono::steady_clock::now();
    const auto until = start + std::chrono::milliseconds(delay);
    while (std::chrono::steady_clock::now() < until) {
      call.throw_if_cancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(delay, 20)));
      const auto done = std::chrono::steady_clock::now() - start;
      call.progress(std::min(1.0, std::chrono::duration<double, std::milli>(done).count() /
                                      static_cast<double>(delay)));
    }
    sdk::Json out;
    out.CopyFrom(inputs, out.GetAllocator());
    out.RemoveMember("delay_ms");
    return out;
  }
};

// Does nothing and returns {}: the no-op task of benchmarks and placeholders.
class Noop final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "noop_executor";
  static constexpr std::string_view kName = "No-op Executor";
  static constexpr std::string_view kDescription = "Does nothing and returns an empty object.";
  static constexpr std::string_view kOutputSchema = R"({"type":"object"})";
  static constexpr std::string_view kAnnotations =
      R"({"readonly":true,"idempotent":true,"open_world":false,"extra":{"apflow.inline":true}})";
  static constexpr std::string_view kTags = R"(["core"])";

  sdk::Json run(const sdk::Json&, sdk::Call&) override { return sdk::make_object(); }
};

}  // namespace
}  // namespace apflow::plugins::passthrough

APFLOW_PLUGIN("passthrough", "0.1.0", APFLOW_EXECUTOR(apflow::plugins::passthrough::Passthrough),
              APFLOW_EXECUTOR(apflow::plugins::passthrough::Noop),
              APFLOW_DESCRIPTION("passthrough_executor and noop_executor: wiring and no-op tasks"))
