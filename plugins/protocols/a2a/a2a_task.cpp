#include "a2a/a2a_task.h"

#include "common/call_error.h"
#include "common/jsonrpc.h"

namespace apflow::plugins::a2a {
namespace {

constexpr std::string_view kExecute = "apflow.task.execute";
using protocols::jsonrpc::json_string;

}  // namespace

std::string describe_event(const rapidjson::Value& event) {
  std::string text = sdk::get_string(event, "type", "event");
  const std::string name = sdk::get_string(event, "name");
  if (!name.empty()) text += " '" + name + "'";
  if (event.IsObject() && event.HasMember("progress") && event["progress"].IsNumber()) {
    const int percent = static_cast<int>(event["progress"].GetDouble() * 100);
    text += " (" + std::to_string(percent) + "%)";
  }
  const std::string error = sdk::get_string(event, "error");
  if (!error.empty()) text += ": " + error;
  return text;
}

A2aTask::A2aTask(sdk::Host host, std::string id, SendRequest request)
    : host_(host), request_(std::move(request)) {
  task_.id = std::move(id);
  task_.context_id = request_.context_id.empty() ? "ctx-" + task_.id : request_.context_id;
  task_.state = TaskState::kWorking;
  task_.timestamp = now_iso8601();
  task_.skill_id = request_.module_id;
  task_.message_id = request_.message_id;
  task_.input_json = request_.input_json;
}

void A2aTask::start() {
  watch_tree();
  sdk::InvokeOptions options;
  options.caller_id = "a2a";
  options.on_progress = [weak = weak_from_this()](double fraction, std::string_view message) {
    if (auto self = weak.lock()) {
      std::string text = std::to_string(static_cast<int>(fraction * 100)) + "%";
      if (!message.empty()) text += ": " + std::string(message);
      self->progress(text);
    }
  };
  try {
    auto invocation = host_.invoke(
        request_.module_id, request_.input_json, std::move(options),
        [self = shared_from_this()](sdk::CallResult result) { self->finish(std::move(result)); });
    bool cancel_now = false;
    {
      std::lock_guard lock(mutex_);
      invocation_ = std::move(invocation);
      started_ = true;
      cancel_now = cancel_pending_;
    }
    // Not under the lock: the host may finish the call inside cancel().
    if (cancel_now) invocation_.cancel();
  } catch (const sdk::Error& e) {
    finish(sdk::CallResult{APFLOW_ERROR, {}, e.code(), e.what(), e.details_json()});
  }
}

// A call that runs an apflow tree reports the tree's events as WORKING status updates: the
// client sees each task start and finish while it waits.
void A2aTask::watch_tree() {
  if (request_.module_id != kExecute || !host_.has_events()) return;
  try {
    const sdk::Json input = sdk::parse_json(request_.input_json);
    const std::string task_id = sdk::get_string(input, "task_id");
    if (task_id.empty()) return;
    const sdk::CallResult task =
        host_.call("apflow.task.get", R"({"task_id":)" + json_string(task_id) + "}");
    if (!task.ok()) return;  // the call itself will say what is wrong with task_id
    const std::string tree_id = sdk::get_string(sdk::parse_json(task.output), "task_tree_id");
    if (tree_id.empty()) return;
    auto subscription =
        host_.subscribe_events(R"({"task_tree_id":)" + json_string(tree_id) + "}",
                               [weak = weak_from_this()](std::string_view event_json) {
                                 auto self = weak.lock();
                                 if (!self) return;
                                 sdk::Json event;
                                 event.Parse(event_json.data(), event_json.size());
                                 if (!event.HasParseError()) self->progress(describe_event(event));
                               });
    std::lock_guard lock(mutex_);
    events_ = std::move(subscription);
  } catch (const std::exception& e) {
    host_.log(sdk::LogLevel::kDebug, std::string("no tree events for this A2A task: ") + e.what());
  }
}

void A2aTask::progress(const std::string& text) {
  change(TaskState::kWorking, text, {}, Change::kStatus);
}

void A2aTask::finish(sdk::CallResult result) {
  sdk::EventSubscription events;
  {
    std::lock_guard lock(mutex_);
    events = std::move(events_);
  }
  events.reset();  // no progress after the end (outside the lock: it waits for callbacks)
  if (result.ok()) {
    std::lock_guard lock(mutex_);
    if (is_terminal(task_.state)) return;
    task_.has_output = true;
    task_.output_json = result.output;
    for (const auto& listener : listeners_) listener(task_, Change::kArtifact);
  }
  if (result.ok()) {
    change(TaskState::kCompleted, {}, {}, Change::kStatus);
  } else if (result.code == "EXECUTION_CANCELLED") {
    change(TaskState::kCanceled, "Canceled: " + result.message, {}, Change::kStatus);
  } else {
    const std::string text = result.message.empty() ? result.code : result.message;
    // The apcore error as a data part next to the failure text.
    change(TaskState::kFailed, text, sdk::to_json(protocols::call_error(result)), Change::kStatus);
  }
}

bool A2aTask::change(TaskState state, std::string text, std::string data, Change what) {
  std::lock_guard lock(mutex_);
  if (is_terminal(task_.state)) return false;
  task_.state = state;
  task_.status_text = std::move(text);
  task_.status_data = std::move(data);
  task_.timestamp = now_iso8601();
  for (const auto& listener : listeners_) listener(task_, what);
  if (is_terminal(state)) {
    finished_at_ = std::chrono::steady_clock::now();
    listeners_.clear();
  }
  return true;
}

bool A2aTask::cancel() {
  if (!change(TaskState::kCanceled, "Canceled by client", {}, Change::kStatus)) return false;
  bool started = false;
  {
    std::lock_guard lock(mutex_);
    started = started_;
    cancel_pending_ = !started;
  }
  if (started) invocation_.cancel();  // once started, invocation_ never changes
  cancel_tree();
  return true;
}

void A2aTask::abort() {
  bool started = false;
  {
    std::lock_guard lock(mutex_);
    started = started_;
    cancel_pending_ = !started;
  }
  if (started) invocation_.cancel();
}

// Cancelling a waiting apflow.task.execute only stops the wait; a client cancelling the A2A
// task means the work, so the tree is cancelled in apflow as well.
void A2aTask::cancel_tree() const {
  if (request_.module_id != kExecute) return;
  try {
    const std::string task_id = sdk::get_string(sdk::parse_json(request_.input_json), "task_id");
    if (task_id.empty()) return;
    const std::string input = R"({"task_ids":[)" + json_string(task_id) +
                              R"(],"error_message":"Cancelled by the A2A client"})";
    host_.invoke("apflow.task.cancel", input, sdk::InvokeOptions{0, "a2a", nullptr},
                 [host = host_, task_id](sdk::CallResult result) {
                   if (!result.ok()) {
                     host.log(sdk::LogLevel::kWarn,
                              "cancelling apflow task " + task_id + " failed: " + result.message);
                   }
                 });
  } catch (const std::exception& e) {
    host_.log(sdk::LogLevel::kWarn, std::string("cancelling the tree failed: ") + e.what());
  }
}

bool A2aTask::attach(const std::function<void(const TaskSnapshot&)>& on_now, Listener listener) {
  std::lock_guard lock(mutex_);
  on_now(task_);
  if (is_terminal(task_.state)) return false;
  listeners_.push_back(std::move(listener));
  return true;
}

TaskSnapshot A2aTask::snapshot() const {
  std::lock_guard lock(mutex_);
  return task_;
}

bool A2aTask::terminal() const {
  std::lock_guard lock(mutex_);
  return is_terminal(task_.state);
}

std::chrono::steady_clock::time_point A2aTask::finished_at() const {
  std::lock_guard lock(mutex_);
  return finished_at_;
}

}  // namespace apflow::plugins::a2a
