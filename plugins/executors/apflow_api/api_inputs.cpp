#include "api_inputs.h"

#include <apflow/sdk/error.h>

#include <stdexcept>

#include "common/inputs.h"

namespace apflow::plugins::apflow_api {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw sdk::Error("GENERAL_INVALID_INPUT", "[apflow_api_executor] " + message);
}

common::Url read_endpoint(const rapidjson::Value& inputs) {
  const std::string base_url = sdk::get_string(inputs, "base_url");
  if (base_url.empty()) {
    invalid(
        "base_url is required in inputs: the address of the remote `apflow serve`, "
        "e.g. http://10.0.0.5:8000/");
  }
  common::Url url;
  try {
    url = common::parse_url(base_url);
  } catch (const std::invalid_argument& e) {
    invalid(std::string("base_url is not a usable http(s) URL: ") + e.what());
  }
  if (!url.userinfo.empty()) {
    invalid(
        "base_url must not carry credentials; give the token in plugins.apflow_api.token, "
        "$APFLOW_API_TOKEN or the token input");
  }
  return url;
}

// create_tree's input: `tasks` with the tree options next to it.
sdk::Json tree_input_of(const rapidjson::Value& inputs) {
  sdk::Json out = sdk::make_object();
  for (const char* key : {"tasks", "failure_policy", "injection", "parent_after_children"}) {
    if (inputs.HasMember(key)) sdk::set(out, key, inputs[key]);
  }
  return out;
}

std::chrono::milliseconds seconds_or(const rapidjson::Value& inputs, const char* key,
                                     std::chrono::milliseconds fallback) {
  const double value = sdk::get_double(inputs, key, 0);
  return value > 0 ? common::seconds_to_ms(value) : fallback;
}

}  // namespace

ApiJob read_job(const rapidjson::Value& inputs, const ApiSettings& settings) {
  ApiJob job;
  job.endpoint = read_endpoint(inputs);
  const bool has_tasks = inputs.HasMember("tasks");
  job.module = sdk::get_string(inputs, "module");
  if (has_tasks == !job.module.empty()) {
    invalid(
        "give either tasks (a task tree to create and run on the remote apflow) or module "
        "(with its input), not both and not neither");
  }
  if (has_tasks) {
    if (!inputs["tasks"].IsArray() || inputs["tasks"].Empty()) {
      invalid("tasks must be a non-empty array of tasks, as apflow.task.create_tree takes");
    }
    job.tree = true;
    job.tree_input = tree_input_of(inputs);
  } else if (inputs.HasMember("module_input")) {
    job.input.CopyFrom(inputs["module_input"], job.input.GetAllocator());
  } else {
    job.input.SetObject();
  }
  job.token = sdk::get_string(inputs, "token", settings.token);
  if (job.token.empty()) job.token = settings.token;
  job.timeout = seconds_or(inputs, "timeout", settings.default_timeout);
  job.poll_interval = seconds_or(inputs, "poll_interval", settings.poll_interval);
  return job;
}

}  // namespace apflow::plugins::apflow_api
