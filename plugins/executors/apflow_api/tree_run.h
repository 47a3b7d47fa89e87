// A task tree run on a remote apflow: created with apflow.task.create_tree, run with
// apflow.task.execute (waiting), then watched with apflow.task.get until it ends when it
// outlives one execute call (the remote cuts module calls at modules.default_timeout_ms). A
// local cancellation or timeout cancels the remote tree.
#pragma once

#include <apflow/sdk/json.h>

#include "api_inputs.h"
#include "remote_run.h"

namespace apflow::plugins::apflow_api {

// Fills `out` with module, remote_task_id, root_task_id, status, success and result. Throws
// APFLOW_API_REMOTE_FAILED (the tree failed or was cancelled there; the remote error's text),
// APFLOW_API_TIMEOUT, EXECUTION_CANCELLED, or what run_remote throws.
void run_tree(A2aClient& client, const ApiJob& job, const Waiting& waiting, sdk::Json& out);

}  // namespace apflow::plugins::apflow_api
