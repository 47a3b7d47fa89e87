// One apflow_api_executor call read from its inputs: where the remote apflow is, what to run
// there (a task tree to create and execute, or one module with its input), with which token
// and how long to wait.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <string>

#include "api_settings.h"
#include "common/url.h"

namespace apflow::plugins::apflow_api {

struct ApiJob {
  common::Url endpoint;  // the remote A2A JSON-RPC endpoint (base_url)
  bool tree = false;     // true: create `tree_input` with create_tree, then execute it
  sdk::Json tree_input;  // {"tasks":[...], options...} for apflow.task.create_tree
  std::string module;    // otherwise: the module (skill) to call ...
  sdk::Json input;       // ... with this input
  std::string token;     // inputs' token, else the settings' (config or environment)
  std::chrono::milliseconds timeout{300000};
  std::chrono::milliseconds poll_interval{500};
};

// Throws sdk::Error(GENERAL_INVALID_INPUT) naming the field and what to write instead; never
// with the token in the message.
ApiJob read_job(const rapidjson::Value& inputs, const ApiSettings& settings);

}  // namespace apflow::plugins::apflow_api
