#include "a2a_client.h"

#include <apflow/sdk/error.h>

#include <algorithm>
#include <random>

namespace apflow::plugins::apflow_api {
namespace {

const std::string kLabel = "[apflow_api_executor] ";
// One request never waits longer than this: a send that returns at once, or one look at a task.
constexpr std::chrono::seconds kRequestCap{60};
constexpr std::chrono::seconds kCancelWait{10};
constexpr size_t kQuotedBodyBytes = 512;

std::string random_id() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "apflow-api-";
  for (int i = 0; i < 24; ++i) out += kHex[generator() % 16];
  return out;
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// A part's value: its data, else its text (read as JSON when it is JSON), else null.
void part_value(const rapidjson::Value& part, sdk::Json& out) {
  if (const auto* data = member(part, "data")) {
    out.CopyFrom(*data, out.GetAllocator());
  } else if (const auto* text = member(part, "text"); text != nullptr && text->IsString()) {
    out.SetString(text->GetString(), text->GetStringLength(), out.GetAllocator());
  }
}

RemoteTask read_task(const rapidjson::Value& task) {
  RemoteTask out;
  out.id = sdk::get_string(task, "id");
  const rapidjson::Value* status = member(task, "status");
  out.state = status != nullptr ? sdk::get_string(*status, "state") : "";
  const rapidjson::Value* message = status != nullptr ? member(*status, "message") : nullptr;
  const rapidjson::Value* parts = message != nullptr ? member(*message, "parts") : nullptr;
  if (parts != nullptr && parts->IsArray()) {
    for (const auto& part : parts->GetArray()) {
      if (const auto* text = member(part, "text"); text != nullptr && text->IsString()) {
        out.status_text = text->GetString();
      } else if (member(part, "data") != nullptr) {
        part_value(part, out.status_data);
      }
    }
  }
  const rapidjson::Value* artifacts = member(task, "artifacts");
  if (artifacts != nullptr && artifacts->IsArray() && !artifacts->Empty()) {
    const rapidjson::Value* artifact_parts = member((*artifacts)[0], "parts");
    if (artifact_parts != nullptr && artifact_parts->IsArray() && !artifact_parts->Empty()) {
      part_value((*artifact_parts)[0], out.output);
    }
  }
  return out;
}

// The HTTP status as the user needs to hear it: who refused what, and what to change.
[[noreturn]] void http_failure(const common::HttpResponse& response, const std::string& where) {
  const int status = response.status;
  if (status == 401 || status == 403) {
    throw sdk::Error("APFLOW_API_UNAUTHORIZED",
                     kLabel + where + " refused the request (HTTP " + std::to_string(status) +
                         "): the bearer token is missing or wrong; give the remote's token in "
                         "plugins.apflow_api.token, $APFLOW_API_TOKEN or the call's token",
                     {}, sdk::Retry::kNo);
  }
  const std::string body = response.body.substr(0, kQuotedBodyBytes);
  throw sdk::Error("APFLOW_API_HTTP_" + std::to_string(status),
                   kLabel + where + " answered HTTP " + std::to_string(status) +
                       (body.empty() ? "" : ": " + body) +
                       (status >= 500 ? " (a server error, usually temporary)" : ""),
                   {}, status >= 500 ? sdk::Retry::kYes : sdk::Retry::kNo);
}

}  // namespace

bool RemoteTask::terminal() const {
  return state == "TASK_STATE_COMPLETED" || state == "TASK_STATE_FAILED" ||
         state == "TASK_STATE_CANCELED" || state == "TASK_STATE_REJECTED" ||
         state == "TASK_STATE_INPUT_REQUIRED" || state == "TASK_STATE_AUTH_REQUIRED";
}

A2aClient::A2aClient(common::HttpClient& http, common::Url endpoint, std::string token,
                     std::function<bool()> cancelled)
    : http_(http),
      endpoint_(std::move(endpoint)),
      token_(std::move(token)),
      cancelled_(std::move(cancelled)) {}

sdk::Json A2aClient::call(const char* method, const rapidjson::Value& params,
                          Clock::time_point deadline, const std::function<bool()>& cancelled) {
  sdk::Json envelope = sdk::make_object();
  sdk::set(envelope, "jsonrpc", "2.0");
  sdk::set(envelope, "id", next_id_++);
  sdk::set(envelope, "method", method);
  sdk::set(envelope, "params", params);
  common::HttpRequest request;
  request.method = "POST";
  request.url = endpoint_;
  request.headers = {{"Content-Type", "application/json"}, {"A2A-Version", "1.0"}};
  if (!token_.empty()) request.auth_headers = {{"Authorization", "Bearer " + token_}};
  request.body = sdk::to_json(envelope);
  request.follow_redirects = false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  request.timeout =
      std::clamp<std::chrono::milliseconds>(left, std::chrono::milliseconds(1), kRequestCap);
  const std::string where = std::string(method) + " at " + endpoint_.to_string();
  const common::HttpResponse response = http_.perform(request, cancelled);
  if (response.status < 200 || response.status >= 300) http_failure(response, where);
  sdk::Json answer;
  answer.Parse(response.body.data(), response.body.size());
  if (answer.HasParseError() || !answer.IsObject()) {
    throw sdk::Error("APFLOW_API_BAD_RESPONSE",
                     kLabel + where + " did not answer JSON-RPC; is " + endpoint_.to_string() +
                         " the address of `apflow serve`?",
                     {}, sdk::Retry::kNo);
  }
  if (const auto* error = member(answer, "error")) {
    throw sdk::Error("APFLOW_API_RPC_ERROR",
                     kLabel + where + " failed: " + sdk::get_string(*error, "message") +
                         " (JSON-RPC " + std::to_string(sdk::get_int(*error, "code")) + ")",
                     sdk::to_json(*error), sdk::Retry::kNo);
  }
  sdk::Json result;
  if (const auto* value = member(answer, "result")) result.CopyFrom(*value, result.GetAllocator());
  return result;
}

RemoteTask A2aClient::send(const std::string& skill_id, const rapidjson::Value& input,
                           Clock::time_point deadline) {
  sdk::Json metadata = sdk::make_object();
  sdk::set(metadata, "skillId", skill_id);
  sdk::Json part = sdk::make_object();
  sdk::set(part, "data", input);
  sdk::set(part, "mediaType", "application/json");
  sdk::Json parts(rapidjson::kArrayType);
  parts.PushBack(rapidjson::Value(part, parts.GetAllocator()), parts.GetAllocator());
  sdk::Json message = sdk::make_object();
  sdk::set(message, "messageId", random_id());
  sdk::set(message, "role", "ROLE_USER");
  sdk::set(message, "parts", parts);
  sdk::set(message, "metadata", metadata);
  sdk::Json configuration = sdk::make_object();
  sdk::set(configuration, "returnImmediately", true);
  sdk::Json params = sdk::make_object();
  sdk::set(params, "message", message);
  sdk::set(params, "metadata", metadata);
  sdk::set(params, "configuration", configuration);
  const sdk::Json result = call("SendMessage", params, deadline, cancelled_);
  const rapidjson::Value* task = member(result, "task");
  RemoteTask out = read_task(task != nullptr ? *task : result);
  if (out.id.empty()) {
    throw sdk::Error("APFLOW_API_BAD_RESPONSE",
                     kLabel + "SendMessage at " + endpoint_.to_string() + " answered no task", {},
                     sdk::Retry::kNo);
  }
  return out;
}

RemoteTask A2aClient::get(const std::string& task_id, Clock::time_point deadline) {
  sdk::Json params = sdk::make_object();
  sdk::set(params, "id", task_id);
  return read_task(call("GetTask", params, deadline, cancelled_));
}

bool A2aClient::cancel(const std::string& task_id) noexcept {
  try {
    sdk::Json params = sdk::make_object();
    sdk::set(params, "id", task_id);
    // Never cut short: when the local call is cancelled, this request must still go out.
    call("CancelTask", params, Clock::now() + kCancelWait, [] { return false; });
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace apflow::plugins::apflow_api
