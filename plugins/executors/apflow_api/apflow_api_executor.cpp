// apflow_api_executor: runs work on another apflow instance over its A2A endpoint (`apflow
// serve`): a task tree, created there and executed until it ends, or any one module. Waits by
// looking at the remote A2A task, cancels it when the local call is cancelled, and fails with
// the remote's text when the remote work fails (reference §7.3, rebuilt on A2A: the
// reference's `/tasks` JSON-RPC no longer exists). Knows only the SDK and executors/common.
#include <apflow/sdk/sdk.h>

#include "a2a_client.h"
#include "api_inputs.h"
#include "api_schemas.h"
#include "api_settings.h"
#include "common/http_client.h"
#include "remote_run.h"
#include "tree_run.h"

namespace apflow::plugins::apflow_api {
namespace {

namespace sdk = apflow::sdk;

// The job's timeout, cut to the host's deadline for this call when that comes first.
Clock::time_point deadline_of(const ApiJob& job, const sdk::Call& call) {
  auto deadline = Clock::now() + job.timeout;
  if (call.deadline_ms() > 0) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    deadline = std::min(deadline, Clock::now() + std::chrono::milliseconds(std::max<int64_t>(
                                                     call.deadline_ms() - now_ms, 0)));
  }
  return deadline;
}

class ApflowApiExecutor final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "apflow_api_executor";
  static constexpr std::string_view kName = "apflow API Executor";
  static constexpr std::string_view kDescription =
      "Run a task tree or a module on another apflow instance over A2A and return its result";
  static constexpr std::string_view kInputSchema = schemas::kInput;
  static constexpr std::string_view kOutputSchema = schemas::kOutput;
  static constexpr std::string_view kAnnotations =
      R"json({"readonly":false,"destructive":true,"idempotent":false,"open_world":true})json";
  static constexpr std::string_view kTags = R"(["apflow","a2a","remote"])";
  static constexpr std::string_view kExamples = schemas::kExamples;

  explicit ApflowApiExecutor(const sdk::PluginContext& context)
      : settings_(ApiSettings::from_config(context.config)), http_(settings_) {}

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    const ApiJob job = read_job(inputs, settings_);
    call.throw_if_cancelled();
    A2aClient client(http_, job.endpoint, job.token, [&call] { return call.is_cancelled(); });
    const Waiting waiting{deadline_of(job, call), job.poll_interval,
                          [&call] { return call.is_cancelled(); }};
    sdk::Json out = sdk::make_object();
    sdk::set(out, "base_url", job.endpoint.to_string());
    if (!job.tree) {
      RemoteRun run = run_remote(client, job.module, job.input, waiting);
      sdk::set(out, "success", true);
      sdk::set(out, "module", job.module);
      sdk::set(out, "remote_task_id", run.task_id);
      sdk::set(out, "result", run.output);
      return out;
    }
    run_tree(client, job, waiting, out);
    return out;
  }

 private:
  ApiSettings settings_;
  common::HttpClient http_;
};

}  // namespace
}  // namespace apflow::plugins::apflow_api

APFLOW_PLUGIN("apflow_api", "0.1.0",
              APFLOW_EXECUTOR(apflow::plugins::apflow_api::ApflowApiExecutor),
              APFLOW_DESCRIPTION("apflow_api_executor: task trees and modules on another apflow"),
              APFLOW_CONFIG_SCHEMA(apflow::plugins::apflow_api::kApiConfigSchema))
