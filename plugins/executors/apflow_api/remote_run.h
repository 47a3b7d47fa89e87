// Runs one module on a remote apflow as an A2A task and waits for its end: looks at the task
// again and again (a short first wait, then up to the poll interval), cancels it when the local
// call is cancelled or the time is up, and turns a remote failure into an error with the
// remote's text.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <functional>
#include <string>

#include "a2a_client.h"

namespace apflow::plugins::apflow_api {

struct RemoteRun {
  std::string task_id;  // the A2A task id on the remote
  sdk::Json output;     // the module's output
};

struct Waiting {
  Clock::time_point deadline;
  std::chrono::milliseconds poll_interval;
  std::function<bool()> cancelled;
};

// Sleeps up to `wait` (never past the deadline) in short slices; false when cancelled meanwhile.
bool pause(std::chrono::milliseconds wait, const Waiting& waiting);

// Throws sdk::Error: APFLOW_API_REMOTE_FAILED (the remote text; details: the remote's apcore
// error), APFLOW_API_REMOTE_CANCELLED, APFLOW_API_TIMEOUT (retryable; the remote task is
// cancelled), EXECUTION_CANCELLED (the remote task is cancelled), or what the client throws.
RemoteRun run_remote(A2aClient& client, const std::string& module, const rapidjson::Value& input,
                     const Waiting& waiting);

}  // namespace apflow::plugins::apflow_api
