// MCP logging for one session: logging/setLevel sets the lowest level the client wants, and
// what apflow has to say at or above it (tool calls that fail, task trees that fail, end or are
// cancelled, and at debug every task event) goes to the client as notifications/message.
// Nothing is sent before the client asks with setLevel. Transport-free: a transport attaches
// an Outlet for messages not tied to a request (stdio: stdout; HTTP: the GET stream).
#pragma once

#include <apflow/sdk/host.h>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/jsonrpc_dispatch.h"

namespace apflow::plugins::mcp {

// The syslog levels MCP uses, least severe first.
enum class LogLevel { kDebug, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };
std::optional<LogLevel> parse_log_level(std::string_view name);
std::string_view log_level_name(LogLevel level);

// Where server-initiated messages go. Destroying it ends the channel (an HTTP stream).
class Outlet {
 public:
  virtual ~Outlet() = default;
  virtual void send(const std::string& message_json) = 0;
};

class SessionLog {
 public:
  explicit SessionLog(sdk::Host host);
  ~SessionLog();  // stops the task-event watch before anything else goes
  SessionLog(const SessionLog&) = delete;
  SessionLog& operator=(const SessionLog&) = delete;

  // Applies logging/setLevel; false for a name MCP does not define. The first call starts
  // watching task events.
  bool set_level(std::string_view name);
  bool enabled(LogLevel level) const;

  // Sends notifications/message {level, logger, data} when the client wants this level. A
  // message about a request goes on that request's own stream when it has one (via); the rest
  // goes to the outlet, or waits (bounded) for one.
  void log(LogLevel level, std::string_view logger, const sdk::Json& data,
           protocols::jsonrpc::Reply* via = nullptr);

  // Replaces the outlet (the old one is destroyed, which ends it) and sends what waited.
  void attach(std::shared_ptr<Outlet> outlet);
  void detach();

 private:
  void on_event(std::string_view event_json);
  bool admit();                              // the rate limit; under mutex_
  void deliver(const std::string& message);  // under mutex_

  sdk::Host host_;
  mutable std::mutex mutex_;
  std::optional<LogLevel> threshold_;  // none until setLevel
  std::shared_ptr<Outlet> outlet_;
  std::deque<std::string> waiting_;
  std::chrono::steady_clock::time_point window_start_;
  size_t window_count_ = 0;
  size_t dropped_ = 0;
  sdk::EventSubscription events_;
};

}  // namespace apflow::plugins::mcp
