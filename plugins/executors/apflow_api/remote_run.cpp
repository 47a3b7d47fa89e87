#include "remote_run.h"

#include <apflow/sdk/error.h>

#include <algorithm>
#include <thread>

namespace apflow::plugins::apflow_api {
namespace {

const std::string kLabel = "[apflow_api_executor] ";
constexpr std::chrono::milliseconds kFirstWait{20};
constexpr std::chrono::milliseconds kSlice{20};

[[noreturn]] void ended_badly(const RemoteTask& task, const std::string& module,
                              const std::string& where) {
  if (task.state == "TASK_STATE_CANCELED") {
    throw sdk::Error("APFLOW_API_REMOTE_CANCELLED",
                     kLabel + module + " on " + where + " was cancelled there" +
                         (task.status_text.empty() ? "" : ": " + task.status_text),
                     {}, sdk::Retry::kNo);
  }
  const std::string text = task.status_text.empty() ? task.state : task.status_text;
  throw sdk::Error(
      "APFLOW_API_REMOTE_FAILED", kLabel + module + " failed on " + where + ": " + text,
      task.status_data.IsNull() ? std::string() : sdk::to_json(task.status_data), sdk::Retry::kNo);
}

}  // namespace

bool pause(std::chrono::milliseconds wait, const Waiting& waiting) {
  const auto until = std::min(Clock::now() + wait, waiting.deadline);
  while (Clock::now() < until) {
    if (waiting.cancelled()) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(kSlice, until - Clock::now()));
  }
  return !waiting.cancelled();
}

RemoteRun run_remote(A2aClient& client, const std::string& module, const rapidjson::Value& input,
                     const Waiting& waiting) {
  const std::string where = client.endpoint().to_string();
  RemoteTask task = client.send(module, input, waiting.deadline);
  auto wait = kFirstWait;
  try {
    while (!task.terminal()) {
      if (!pause(wait, waiting)) throw sdk::Error("EXECUTION_CANCELLED", "the call was cancelled");
      if (Clock::now() >= waiting.deadline) {
        throw sdk::Error("APFLOW_API_TIMEOUT",
                         kLabel + module + " on " + where + " did not end in time; it was " +
                             "cancelled there. Raise 'timeout' for longer runs",
                         {}, sdk::Retry::kYes);
      }
      wait = std::min(wait * 2, waiting.poll_interval);
      task = client.get(task.id, waiting.deadline);
    }
  } catch (const sdk::Error& e) {
    // Cancelled here or out of time: the remote must not go on working for nobody.
    if (e.code() == "EXECUTION_CANCELLED" || e.code() == "APFLOW_API_TIMEOUT") {
      client.cancel(task.id);
    }
    throw;
  }
  if (task.state != "TASK_STATE_COMPLETED") ended_badly(task, module, where);
  return RemoteRun{task.id, std::move(task.output)};
}

}  // namespace apflow::plugins::apflow_api
