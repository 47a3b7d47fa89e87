#include "tree_run.h"

#include <apflow/sdk/error.h>

#include <algorithm>

namespace apflow::plugins::apflow_api {
namespace {

const std::string kLabel = "[apflow_api_executor] ";
constexpr const char* kExecute = "apflow.task.execute";
// One execute call waits at most this long, within the remote's default module deadline (30 s).
constexpr std::chrono::milliseconds kExecuteWait{20000};

bool ended(const std::string& status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

// The remote tree's error as text: a string as it is, anything else as JSON.
std::string error_text(const rapidjson::Value& task) {
  auto it = task.FindMember("error");
  if (it == task.MemberEnd() || it->value.IsNull()) return "no error was given";
  return it->value.IsString() ? it->value.GetString() : sdk::to_json(it->value);
}

sdk::Json task_ids_input(const std::string& root) {
  sdk::Json input = sdk::make_object();
  sdk::Json ids(rapidjson::kArrayType);
  ids.PushBack(rapidjson::Value(root.c_str(), ids.GetAllocator()), ids.GetAllocator());
  sdk::set(input, "task_ids", ids);
  sdk::set(input, "error_message", "Cancelled by the calling apflow_api_executor");
  return input;
}

// Best effort: the error thrown next says what happened.
void cancel_tree(A2aClient& client, const std::string& root, const Waiting& waiting) {
  try {
    const Waiting brief{Clock::now() + std::chrono::seconds(10), waiting.poll_interval,
                        [] { return false; }};
    run_remote(client, "apflow.task.cancel", task_ids_input(root), brief);
  } catch (const sdk::Error&) {
  }
}

// The tree did not end before the deadline (and was cancelled there); `status` as last seen.
sdk::Error out_of_time(const A2aClient& client, const std::string& root,
                       const std::string& status) {
  return sdk::Error("APFLOW_API_TIMEOUT",
                    kLabel + "the remote tree " + root + " on " + client.endpoint().to_string() +
                        " did not end in time (status " + status +
                        "); it was cancelled there. Raise 'timeout' for longer runs",
                    {}, sdk::Retry::kYes);
}

// Looks at the root until the tree ends; `last` is its last state seen.
void watch(A2aClient& client, const std::string& root, sdk::Json& last, const Waiting& waiting) {
  sdk::Json get = sdk::make_object();
  sdk::set(get, "task_id", root);
  while (!ended(sdk::get_string(last, "status"))) {
    if (!pause(waiting.poll_interval, waiting)) {
      throw sdk::Error("EXECUTION_CANCELLED", "the call was cancelled");
    }
    if (Clock::now() >= waiting.deadline) {
      throw out_of_time(client, root, sdk::get_string(last, "status"));
    }
    last = std::move(run_remote(client, "apflow.task.get", get, waiting).output);
  }
}

}  // namespace

void run_tree(A2aClient& client, const ApiJob& job, const Waiting& waiting, sdk::Json& out) {
  const RemoteRun created = run_remote(client, "apflow.task.create_tree", job.tree_input, waiting);
  const std::string root = sdk::get_string(created.output, "root_task_id");
  sdk::Json execute = sdk::make_object();
  sdk::set(execute, "task_id", root);
  sdk::set(execute, "wait", true);
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(waiting.deadline - Clock::now());
  sdk::set(execute, "timeout_ms", std::clamp<int64_t>(left.count(), 1, kExecuteWait.count()));
  sdk::Json last;
  std::string remote_task_id;
  try {
    // Cancelling the execute A2A task cancels the tree too (the remote does it).
    RemoteRun ran = run_remote(client, kExecute, execute, waiting);
    remote_task_id = ran.task_id;
    last = std::move(ran.output);
    watch(client, root, last, waiting);
  } catch (const sdk::Error& e) {
    if (e.code() == "EXECUTION_CANCELLED") cancel_tree(client, root, waiting);
    if (e.code() != "APFLOW_API_TIMEOUT") throw;
    // The deadline may also pass during a request (the execute's wait, a look at the root):
    // the same end, said the same way.
    cancel_tree(client, root, waiting);
    if (Clock::now() < waiting.deadline) throw;
    throw out_of_time(client, root,
                      last.IsObject() ? sdk::get_string(last, "status") : "not known");
  }
  const std::string status = sdk::get_string(last, "status");
  if (status != "completed") {
    throw sdk::Error("APFLOW_API_REMOTE_FAILED",
                     kLabel + "the remote tree " + root + " on " + client.endpoint().to_string() +
                         " " + status + ": " + error_text(last),
                     sdk::to_json(last), sdk::Retry::kNo);
  }
  sdk::set(out, "success", true);
  sdk::set(out, "module", kExecute);
  sdk::set(out, "remote_task_id", remote_task_id);
  sdk::set(out, "root_task_id", root);
  sdk::set(out, "status", status);
  if (last.HasMember("result")) sdk::set(out, "result", last["result"]);
}

}  // namespace apflow::plugins::apflow_api
