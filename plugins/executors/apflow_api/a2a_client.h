// A small A2A 1.0 JSON-RPC client over the shared HTTP client: runs one module (skill) of a
// remote `apflow serve` as an A2A task, reads it again, cancels it. HTTP and JSON-RPC failures
// become sdk::Error with an APFLOW_API_* code and the remote text; the token is sent in the
// Authorization header only and appears in no message.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <functional>
#include <string>

#include "common/http_client.h"
#include "common/url.h"

namespace apflow::plugins::apflow_api {

using Clock = std::chrono::steady_clock;

// An A2A task as this executor needs it.
struct RemoteTask {
  std::string id;
  std::string state;        // TASK_STATE_WORKING, TASK_STATE_COMPLETED, ...
  std::string status_text;  // the agent's status message (the error text when failed)
  sdk::Json status_data;    // the data part next to it (the apcore error), or null
  sdk::Json output;         // the artifact's data (or text) part: the module output, or null

  bool terminal() const;
};

class A2aClient {
 public:
  A2aClient(common::HttpClient& http, common::Url endpoint, std::string token,
            std::function<bool()> cancelled);

  // SendMessage with returnImmediately: the task as it is just after it started.
  RemoteTask send(const std::string& skill_id, const rapidjson::Value& input,
                  Clock::time_point deadline);
  RemoteTask get(const std::string& task_id, Clock::time_point deadline);
  // CancelTask; false (and nothing thrown) when the remote could not be told.
  bool cancel(const std::string& task_id) noexcept;

  const common::Url& endpoint() const { return endpoint_; }

 private:
  sdk::Json call(const char* method, const rapidjson::Value& params, Clock::time_point deadline,
                 const std::function<bool()>& cancelled);

  common::HttpClient& http_;
  common::Url endpoint_;
  std::string token_;
  std::function<bool()> cancelled_;
  int next_id_ = 1;
};

}  // namespace apflow::plugins::apflow_api
