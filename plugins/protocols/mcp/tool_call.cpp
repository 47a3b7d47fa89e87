#include "mcp/tool_call.h"

namespace apflow::plugins::mcp {
namespace {

using protocols::jsonrpc::json_string;

// One line telling what happened in the tree, e.g. "task_completed 'fetch' (50%)".
std::string describe(const rapidjson::Value& event) {
  std::string text = sdk::get_string(event, "type", "event");
  const std::string name = sdk::get_string(event, "name");
  if (!name.empty()) text += " '" + name + "'";
  if (event.HasMember("progress") && event["progress"].IsNumber()) {
    text += " (" + std::to_string(static_cast<int>(event["progress"].GetDouble() * 100)) + "%)";
  }
  const std::string error = sdk::get_string(event, "error");
  if (!error.empty()) text += ": " + error;
  return text;
}

}  // namespace

size_t tool_result_size(const sdk::CallResult& result) {
  // Room for the output, and for it quoted with the escapes a JSON text typically needs.
  return result.ok() ? 3 * result.output.size() + 128 : 256;
}

void append_tool_result(std::string& out, const sdk::CallResult& result) {
  if (result.ok()) {
    out += R"({"content":[{"type":"text","text":)";
    protocols::jsonrpc::append_json_string(out, result.output);
    out += R"(}],"structuredContent":)";
    out += result.output;
    out += R"(,"isError":false})";
    return;
  }
  // No structuredContent on errors: clients would check it against the outputSchema.
  sdk::Json error = sdk::make_object();
  sdk::set(error, "code", result.code);
  if (!result.details.empty()) {
    sdk::Json details;
    details.Parse(result.details.data(), result.details.size());
    if (!details.HasParseError()) sdk::set(error, "details", details);
  }
  out += R"({"content":[{"type":"text","text":)";
  protocols::jsonrpc::append_json_string(out,
                                         result.message.empty() ? result.code : result.message);
  out += R"(}],"isError":true,"_meta":{"apcore/error":)";
  out += sdk::to_json(error);
  out += "}}";
}

std::string tool_result(const sdk::CallResult& result) {
  std::string out;
  out.reserve(tool_result_size(result));
  append_tool_result(out, result);
  return out;
}

ToolCall::ToolCall(sdk::Host host, Request request, protocols::jsonrpc::Reply reply,
                   std::function<void()> on_finished, std::shared_ptr<SessionLog> log)
    : host_(host),
      request_(std::move(request)),
      reply_(std::move(reply)),
      on_finished_(std::move(on_finished)),
      log_(std::move(log)) {}

void ToolCall::start() {
  started_at_ = std::chrono::steady_clock::now();
  if (!request_.progress_token.empty()) watch_tree();
  sdk::InvokeOptions options;
  options.caller_id = "mcp";
  options.timeout_ms = request_.timeout_ms;
  if (!request_.progress_token.empty()) {
    options.on_progress = [weak = weak_from_this()](double fraction, std::string_view message) {
      if (auto self = weak.lock()) {
        std::string text = std::to_string(static_cast<int>(fraction * 100)) + "%";
        if (!message.empty()) text += ": " + std::string(message);
        self->send_progress(text);
      }
    };
  }
  try {
    auto invocation = host_.invoke(
        request_.module_id, request_.arguments_json, std::move(options),
        [self = shared_from_this()](sdk::CallResult result) { self->finish(std::move(result)); });
    {
      std::lock_guard lock(mutex_);
      invocation_ = std::move(invocation);
      started_ = true;
    }
    // Not under the lock: the host may finish the call inside cancel_invocation.
    if (cancelled_) invocation_.cancel();  // cancelled while it was being started
  } catch (const sdk::Error& e) {
    finish(sdk::CallResult{APFLOW_ERROR, {}, e.code(), e.what(), e.details_json()});
  }
}

// Calls that run a task tree report the tree's events as progress: the caller sees each task
// start and finish while it waits.
void ToolCall::watch_tree() {
  try {
    const sdk::Json arguments = sdk::parse_json(request_.arguments_json);
    const std::string task_id = sdk::get_string(arguments, "task_id");
    if (task_id.empty() || !host_.has_events()) return;
    sdk::Json input = sdk::make_object();
    sdk::set(input, "task_id", task_id);
    const sdk::CallResult task = host_.call("apflow.task.get", sdk::to_json(input));
    if (!task.ok()) return;  // the call itself will say what is wrong with task_id
    const std::string tree_id = sdk::get_string(sdk::parse_json(task.output), "task_tree_id");
    if (tree_id.empty()) return;
    sdk::Json filter = sdk::make_object();
    sdk::set(filter, "task_tree_id", tree_id);
    auto subscription = host_.subscribe_events(
        sdk::to_json(filter), [weak = weak_from_this()](std::string_view event_json) {
          auto self = weak.lock();
          if (!self) return;
          sdk::Json event;
          event.Parse(event_json.data(), event_json.size());
          if (!event.HasParseError()) self->send_progress(describe(event));
        });
    std::lock_guard lock(mutex_);
    events_ = std::move(subscription);
  } catch (const std::exception& e) {
    host_.log(sdk::LogLevel::kDebug, std::string("no progress for this call: ") + e.what());
  }
}

void ToolCall::send_progress(const std::string& message) {
  int count = 0;
  {
    std::lock_guard lock(mutex_);
    count = ++progress_count_;
  }
  // progress must grow with every notification; a count does, whatever the source.
  std::string params = R"({"progressToken":)" + request_.progress_token + R"(,"progress":)" +
                       std::to_string(count) + R"(,"message":)" + json_string(message) + "}";
  reply_.notify(protocols::jsonrpc::notification("notifications/progress", params));
}

void ToolCall::finish(sdk::CallResult result) {
  sdk::EventSubscription events;
  {
    std::lock_guard lock(mutex_);
    events = std::move(events_);
  }
  events.reset();  // no progress after the answer
  if (!cancelled_) {
    log_outcome(result);  // before the answer: on the call's own stream, if it has one
    reply_.ok_with(tool_result_size(result),
                   [&result](std::string& out) { append_tool_result(out, result); });
  }
  if (on_finished_) on_finished_();
}

// A failed call is an error for the client's log (a rejected input only a warning: the caller
// can fix it); a call that worked is debug detail. The arguments are never logged: they may
// carry secrets.
void ToolCall::log_outcome(const sdk::CallResult& result) {
  if (!log_) return;
  const LogLevel level = result.ok()                                ? LogLevel::kDebug
                         : result.code == "SCHEMA_VALIDATION_ERROR" ? LogLevel::kWarning
                                                                    : LogLevel::kError;
  if (!log_->enabled(level)) return;
  const auto elapsed = std::chrono::steady_clock::now() - started_at_;
  sdk::Json data = sdk::make_object();
  sdk::set(data, "tool", request_.tool_name);
  sdk::set(data, "moduleId", request_.module_id);
  sdk::set(data, "ok", result.ok());
  sdk::set(data, "durationMs",
           std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
  if (!result.ok()) {
    sdk::set(data, "code", result.code);
    sdk::set(data, "message", result.message);
  }
  log_->log(level, "apflow.mcp", data, &reply_);
}

void ToolCall::cancel(bool client_asked) {
  if (cancelled_.exchange(true)) return;
  reply_.drop();
  bool started = false;
  {
    std::lock_guard lock(mutex_);
    started = started_;
  }
  // Once started, invocation_ never changes; start() cancels it itself otherwise.
  if (started) invocation_.cancel();
  if (client_asked) cancel_tree();
}

// A waiting execute only waits: stopping the wait would leave the tree running, which is not
// what a user who cancels the call means.
void ToolCall::cancel_tree() const {
  if (request_.module_id != "apflow.task.execute") return;
  try {
    const sdk::Json arguments = sdk::parse_json(request_.arguments_json);
    const std::string task_id = sdk::get_string(arguments, "task_id");
    if (task_id.empty()) return;
    const std::string input = R"({"task_ids":[)" + json_string(task_id) +
                              R"(],"error_message":"Cancelled by the MCP client"})";
    host_.invoke("apflow.task.cancel", input, sdk::InvokeOptions{0, "mcp", nullptr},
                 [host = host_, task_id](sdk::CallResult result) {
                   if (!result.ok()) {
                     host.log(sdk::LogLevel::kWarn,
                              "cancelling task " + task_id + " failed: " + result.message);
                   }
                 });
  } catch (const std::exception& e) {
    host_.log(sdk::LogLevel::kWarn, std::string("cancelling the tree failed: ") + e.what());
  }
}

}  // namespace apflow::plugins::mcp
