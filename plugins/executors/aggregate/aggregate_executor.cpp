// aggregate_results_executor: gathers the results injected from a task's dependencies into one
// object (reference §7.3). Every input key is taken as a dependency's result, except internal
// keys (`_pre_hook_*`, anything with a dot) and `dependencies`, which, when given, limits the
// keys gathered to the ids it lists. Knows only the SDK.
#include <apflow/sdk/sdk.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

namespace apflow::plugins::aggregate {
namespace {

namespace sdk = apflow::sdk;

std::string local_iso_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm parts{};
  localtime_r(&seconds, &parts);
  char text[40];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  return std::string(text, n);
}

bool is_internal(std::string_view key) {
  return key == "_pre_hook_executed" || key == "_pre_hook_timestamp" ||
         key.find('.') != std::string_view::npos || key == "dependencies";
}

class Aggregate final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "aggregate_results_executor";
  static constexpr std::string_view kName = "Aggregate Results Executor";
  static constexpr std::string_view kDescription =
      "Gathers the results of the tasks it depends on into one object.";
  static constexpr std::string_view kInputSchema = R"({"type":"object","properties":{
      "dependencies":{"type":"array","items":{"type":"string"},
                      "description":"Only gather these dependency ids"}}})";
  static constexpr std::string_view kOutputSchema = R"({"type":"object","properties":{
      "summary":{"type":"string"},"timestamp":{"type":"string"},
      "results":{"type":"object"},"result_count":{"type":"integer"}},
      "required":["summary","results","result_count"]})";
  static constexpr std::string_view kAnnotations =
      R"({"readonly":true,"idempotent":true,"open_world":false,"extra":{"apflow.inline":true}})";
  static constexpr std::string_view kTags = R"(["core","aggregate"])";
  static constexpr std::string_view kExamples = R"([{"title":"Two results",
      "inputs":{"fetch":{"rows":3},"count":{"n":3}}}])";

  sdk::Json run(const sdk::Json& inputs, sdk::Call&) override {
    std::vector<std::string> only;
    if (inputs.HasMember("dependencies") && inputs["dependencies"].IsArray()) {
      for (const auto& id : inputs["dependencies"].GetArray()) {
        if (id.IsString()) only.emplace_back(id.GetString());
      }
    }
    auto out = sdk::make_object();
    auto& a = out.GetAllocator();
    rapidjson::Value results(rapidjson::kObjectType);
    std::vector<std::string> keys;
    for (const auto& m : inputs.GetObject()) {
      const std::string key = m.name.GetString();
      if (is_internal(key)) continue;
      if (!only.empty() && std::find(only.begin(), only.end(), key) == only.end()) continue;
      results.AddMember(rapidjson::Value(key.c_str(), a), rapidjson::Value(m.value, a), a);
      keys.push_back(key);
    }
    std::string summary = "No task results to aggregate";
    if (!keys.empty()) {
      summary = "Aggregated " + std::to_string(keys.size()) + " task result(s)";
      if (keys.size() <= 3) {
        std::string from;
        for (const auto& key : keys) from += (from.empty() ? "" : ", ") + key;
        summary += ". from: " + from;
      }
    }
    sdk::set(out, "summary", summary);
    sdk::set(out, "timestamp", local_iso_now());
    out.AddMember("results", results, a);
    sdk::set(out, "result_count", static_cast<int64_t>(keys.size()));
    return out;
  }
};

}  // namespace
}  // namespace apflow::plugins::aggregate

APFLOW_PLUGIN("aggregate", "0.1.0", APFLOW_EXECUTOR(apflow::plugins::aggregate::Aggregate),
              APFLOW_DESCRIPTION("The aggregate_results_executor: fan-in of dependency results"))
