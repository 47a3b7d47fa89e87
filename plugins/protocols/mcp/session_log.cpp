#include "mcp/session_log.h"

#include <array>
#include <utility>

#include "common/jsonrpc.h"

namespace apflow::plugins::mcp {

namespace {

constexpr std::array<std::string_view, 8> kLevelNames = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};
// MCP asks servers to rate-limit log messages; a busy engine can publish thousands of task
// events a second, which no client wants to read one by one.
constexpr size_t kPerSecond = 200;
// Messages kept for an HTTP client that has not opened its GET stream (yet).
constexpr size_t kMaxWaiting = 100;
constexpr std::string_view kTaskLogger = "apflow.task";

struct EventLevel {
  std::string_view type;
  LogLevel level;
};
constexpr std::array<EventLevel, 9> kEventLevels = {{{"task_started", LogLevel::kDebug},
                                                     {"task_progress", LogLevel::kDebug},
                                                     {"task_completed", LogLevel::kInfo},
                                                     {"task_retrying", LogLevel::kWarning},
                                                     {"task_cancelled", LogLevel::kWarning},
                                                     {"task_failed", LogLevel::kError},
                                                     {"tree_completed", LogLevel::kNotice},
                                                     {"tree_cancelled", LogLevel::kWarning},
                                                     {"tree_failed", LogLevel::kError}}};

// Only what identifies the task and its state: inputs and results may hold secrets.
sdk::Json event_data(const rapidjson::Value& event) {
  sdk::Json data = sdk::make_object();
  for (const char* key : {"type", "task_id", "task_tree_id", "name", "status", "error"}) {
    auto it = event.FindMember(key);
    if (it != event.MemberEnd() && it->value.IsString()) sdk::set(data, key, it->value);
  }
  auto progress = event.FindMember("progress");
  if (progress != event.MemberEnd() && progress->value.IsNumber()) {
    sdk::set(data, "progress", progress->value.GetDouble());
  }
  return data;
}

std::string message_json(LogLevel level, std::string_view logger, const rapidjson::Value& data) {
  sdk::Json params = sdk::make_object();
  sdk::set(params, "level", log_level_name(level));
  sdk::set(params, "logger", logger);
  sdk::set(params, "data", data);
  return protocols::jsonrpc::notification("notifications/message", sdk::to_json(params));
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) {
  return kLevelNames[static_cast<size_t>(level)];
}

SessionLog::SessionLog(sdk::Host host) : host_(host) {}

SessionLog::~SessionLog() {
  events_.reset();  // no on_event runs once this returns
}

bool SessionLog::set_level(std::string_view name) {
  const auto level = parse_log_level(name);
  if (!level) return false;
  bool watch = false;
  {
    std::lock_guard lock(mutex_);
    watch = !threshold_.has_value() && host_.has_events();
    threshold_ = level;
  }
  if (!watch) return true;
  try {
    // Not under mutex_: the host may deliver a first event while subscribing.
    auto events = host_.subscribe_events("{}", [this](std::string_view e) { on_event(e); });
    std::lock_guard lock(mutex_);
    events_ = std::move(events);
  } catch (const std::exception& e) {
    host_.log(sdk::LogLevel::kWarn, std::string("MCP logging: no task events: ") + e.what());
  }
  return true;
}

bool SessionLog::enabled(LogLevel level) const {
  std::lock_guard lock(mutex_);
  return threshold_.has_value() && level >= *threshold_;
}

void SessionLog::log(LogLevel level, std::string_view logger, const sdk::Json& data,
                     protocols::jsonrpc::Reply* via) {
  if (!enabled(level)) return;
  const std::string message = message_json(level, logger, data);
  std::lock_guard lock(mutex_);
  if (!admit()) return;
  // Under mutex_ so that messages keep their order whatever thread sends them.
  if (via != nullptr && via->notify(message)) return;
  deliver(message);
}

bool SessionLog::admit() {
  const auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= std::chrono::seconds(1)) {
    window_start_ = now;
    window_count_ = 0;
    if (dropped_ > 0) {
      sdk::Json data = sdk::make_object();
      sdk::set(data, "dropped", static_cast<uint64_t>(dropped_));
      sdk::set(data, "reason", "more than 200 log messages in a second");
      dropped_ = 0;
      ++window_count_;
      deliver(message_json(LogLevel::kWarning, "apflow.mcp", data));
    }
  }
  if (window_count_ >= kPerSecond) {
    ++dropped_;
    return false;
  }
  ++window_count_;
  return true;
}

void SessionLog::deliver(const std::string& message) {
  if (outlet_) return outlet_->send(message);
  if (waiting_.size() >= kMaxWaiting) waiting_.pop_front();
  waiting_.push_back(message);
}

void SessionLog::on_event(std::string_view event_json) {
  sdk::Json event;
  event.Parse(event_json.data(), event_json.size());
  if (event.HasParseError() || !event.IsObject()) return;
  const std::string type = sdk::get_string(event, "type");
  for (const auto& [name, level] : kEventLevels) {
    if (name == type) return log(level, kTaskLogger, event_data(event));
  }
}

void SessionLog::attach(std::shared_ptr<Outlet> outlet) {
  std::shared_ptr<Outlet> old;
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(outlet_, std::move(outlet));
    while (outlet_ && !waiting_.empty()) {
      outlet_->send(waiting_.front());
      waiting_.pop_front();
    }
  }
  // Destroyed outside the lock: ending an HTTP stream takes the exchange's own lock.
  old.reset();
}

void SessionLog::detach() {
  attach(nullptr);
}

}  // namespace apflow::plugins::mcp
