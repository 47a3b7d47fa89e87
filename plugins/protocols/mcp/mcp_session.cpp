#include "mcp/mcp_session.h"

#include <algorithm>
#include <array>
#include <vector>

namespace apflow::plugins::mcp {

namespace jsonrpc = protocols::jsonrpc;

namespace {

constexpr std::array<std::string_view, 3> kVersions = {"2025-11-25", "2025-06-18", "2025-03-26"};
constexpr std::string_view kCursorPrefix = "apflow:";

const rapidjson::Value& params_object(const jsonrpc::Message& message) {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  if (message.params.IsNull()) return kEmpty;
  if (!message.params.IsObject()) {
    throw jsonrpc::RpcError(jsonrpc::kInvalidParams, "Invalid params: expected an object");
  }
  return message.params;
}

size_t cursor_offset(const rapidjson::Value& params) {
  auto it = params.FindMember("cursor");
  if (it == params.MemberEnd() || it->value.IsNull()) return 0;
  const std::string cursor = it->value.IsString() ? it->value.GetString() : "";
  const std::string digits = cursor.substr(std::min(cursor.size(), kCursorPrefix.size()));
  if (cursor.rfind(kCursorPrefix, 0) != 0 || digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    throw jsonrpc::RpcError(jsonrpc::kInvalidParams, "Invalid params: unknown cursor");
  }
  return std::stoul(digits);
}

}  // namespace

bool is_supported_version(std::string_view version) {
  for (auto v : kVersions) {
    if (v == version) return true;
  }
  return false;
}

McpSession::McpSession(const McpContext& context)
    : context_(context), log_(std::make_shared<SessionLog>(context.host)) {
  register_methods();
}

McpSession::~McpSession() {
  for (auto& [serial, entry] : calls_) entry.call->cancel(false);
}

void McpSession::register_methods() {
  dispatcher_.on_request("initialize", [this](const jsonrpc::Message& m, jsonrpc::Reply reply) {
    reply.ok(initialize(m));
  });
  dispatcher_.on_request("ping",
                         [](const jsonrpc::Message&, jsonrpc::Reply reply) { reply.ok("{}"); });
  dispatcher_.on_request("tools/list", [this](const jsonrpc::Message& m, jsonrpc::Reply reply) {
    reply.ok(list_tools(m));
  });
  dispatcher_.on_request("tools/call", [this](const jsonrpc::Message& m, jsonrpc::Reply reply) {
    call_tool(m, std::move(reply));
  });
  dispatcher_.on_request(
      "logging/setLevel", [this](const jsonrpc::Message& m, jsonrpc::Reply reply) {
        const std::string level = sdk::get_string(params_object(m), "level");
        if (!log_->set_level(level)) {
          throw jsonrpc::RpcError(jsonrpc::kInvalidParams,
                                  "Invalid params: unknown log level '" + level + "'");
        }
        reply.ok("{}");
      });
  dispatcher_.on_notification("notifications/cancelled",
                              [this](const jsonrpc::Message& m) { cancelled(m); });
}

void McpSession::handle(const jsonrpc::Message& message, jsonrpc::Sink sink) {
  const bool request = message.kind == jsonrpc::Message::Kind::kRequest;
  if (request && message.method != "initialize" && message.method != "ping" && !initialized()) {
    jsonrpc::Reply(message.id, std::move(sink))
        .fail(jsonrpc::kInvalidRequest, "Server not initialized: send initialize first");
    return;
  }
  dispatcher_.handle(message, std::move(sink));
}

std::string McpSession::initialize(const jsonrpc::Message& message) {
  const rapidjson::Value& params = params_object(message);
  const std::string requested = sdk::get_string(params, "protocolVersion");
  {
    std::lock_guard lock(mutex_);
    if (initialized_) {
      throw jsonrpc::RpcError(jsonrpc::kInvalidRequest, "Invalid Request: already initialized");
    }
    initialized_ = true;
    // Echo a version we speak; otherwise offer ours and let the client decide.
    version_ = is_supported_version(requested) ? requested : std::string(kLatestVersion);
  }
  sdk::Json result = sdk::make_object();
  sdk::set(result, "protocolVersion", protocol_version());
  sdk::set(result, "capabilities",
           sdk::parse_json(R"({"tools":{"listChanged":false},"logging":{}})"));
  sdk::Json info = sdk::make_object();
  sdk::set(info, "name", "apflow");
  sdk::set(info, "title", "apflow orchestration engine");
  sdk::set(info, "version", context_.host.host_version());
  sdk::set(result, "serverInfo", info);
  sdk::set(result, "instructions",
           "Tools are apflow's apcore modules (module id in _meta[\"apcore/moduleId\"]). Create a "
           "task tree with apflow_task_create_tree, run it with apflow_task_execute (wait: true "
           "to get the outcome) and read it with apflow_task_get or apflow_task_tree.");
  return sdk::to_json(result);
}

std::string McpSession::list_tools(const jsonrpc::Message& message) const {
  const size_t offset = cursor_offset(params_object(message));
  const auto& catalog = context_.catalog;
  if (offset > catalog.size()) {
    throw jsonrpc::RpcError(jsonrpc::kInvalidParams, "Invalid params: unknown cursor");
  }
  const auto tools = catalog.page(offset, context_.settings.page_size);
  std::string out = R"({"tools":[)";
  for (size_t i = 0; i < tools.size(); ++i) {
    if (i > 0) out += ",";
    out += tools[i]->json;
  }
  out += "]";
  const size_t next = offset + tools.size();
  if (next < catalog.size()) {
    out += R"(,"nextCursor":")" + std::string(kCursorPrefix) + std::to_string(next) + "\"";
  }
  out += "}";
  return out;
}

void McpSession::call_tool(const jsonrpc::Message& message, jsonrpc::Reply reply) {
  const rapidjson::Value& params = params_object(message);
  auto name = params.FindMember("name");
  if (name == params.MemberEnd() || !name->value.IsString()) {
    throw jsonrpc::RpcError(jsonrpc::kInvalidParams, "Invalid params: \"name\" must be a string");
  }
  const Tool* tool = context_.catalog.find(name->value.GetString());
  if (tool == nullptr) {
    throw jsonrpc::RpcError(jsonrpc::kInvalidParams,
                            std::string("Unknown tool: ") + name->value.GetString());
  }
  ToolCall::Request request{
      tool->module_id, "{}", {}, context_.settings.call_timeout_ms, tool->name};
  if (auto args = params.FindMember("arguments");
      args != params.MemberEnd() && !args->value.IsNull()) {
    if (!args->value.IsObject()) {
      throw jsonrpc::RpcError(jsonrpc::kInvalidParams,
                              "Invalid params: \"arguments\" must be an object");
    }
    request.arguments_json = sdk::to_json(args->value);
  }
  if (auto meta = params.FindMember("_meta");
      meta != params.MemberEnd() && meta->value.IsObject()) {
    auto token = meta->value.FindMember("progressToken");
    if (token != meta->value.MemberEnd() && (token->value.IsString() || token->value.IsNumber())) {
      request.progress_token = sdk::to_json(token->value);
    }
  }
  const uint64_t serial = next_serial_++;
  auto call = std::make_shared<ToolCall>(
      context_.host, std::move(request), std::move(reply),
      [weak = weak_from_this(), serial] {
        if (auto self = weak.lock()) self->call_ended(serial);
      },
      log_);
  {
    std::lock_guard lock(mutex_);
    calls_.emplace(serial, CallEntry{message.id, call});
  }
  call->start();
}

void McpSession::cancelled(const jsonrpc::Message& message) {
  if (!message.params.IsObject() || !message.params.HasMember("requestId")) return;
  const std::string id = sdk::to_json(message.params["requestId"]);
  // Every call in flight under that id (unknown or finished: nothing to do, as MCP says).
  std::vector<std::shared_ptr<ToolCall>> named;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [serial, entry] : calls_) {
      if (entry.id == id) named.push_back(entry.call);
    }
  }
  for (const auto& call : named) call->cancel(true);
}

void McpSession::call_ended(uint64_t serial) {
  std::lock_guard lock(mutex_);
  calls_.erase(serial);
  if (calls_.empty()) idle_cv_.notify_all();
}

bool McpSession::initialized() const {
  std::lock_guard lock(mutex_);
  return initialized_;
}

std::string McpSession::protocol_version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

bool McpSession::busy() const {
  std::lock_guard lock(mutex_);
  return !calls_.empty();
}

bool McpSession::wait_idle(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return idle_cv_.wait_for(lock, limit, [this] { return calls_.empty(); });
}

void McpSession::cancel_all() {
  std::vector<std::shared_ptr<ToolCall>> calls;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [serial, entry] : calls_) calls.push_back(entry.call);
  }
  for (const auto& call : calls) call->cancel(false);
  // Bounded: a module that ignores cancellation must not keep the process alive for ever.
  wait_idle(std::chrono::seconds(30));
}

}  // namespace apflow::plugins::mcp
