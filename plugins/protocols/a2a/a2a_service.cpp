#include "a2a/a2a_service.h"

#include <map>

#include "a2a/a2a_errors.h"

namespace apflow::plugins::a2a {
namespace {

namespace jsonrpc = protocols::jsonrpc;
using Kind = Method::Kind;

std::string task_id_of(const rapidjson::Value& params) {
  return sdk::get_string(params, "id");
}

}  // namespace

namespace {

// Every method name a client may use, 1.0 and 0.3.
const std::map<std::string_view, Method>& methods() {
  static const std::map<std::string_view, Method> kMethods = {
      {"SendMessage", {Kind::kSend, Dialect::kV1}},
      {"SendStreamingMessage", {Kind::kStream, Dialect::kV1}},
      {"GetTask", {Kind::kGet, Dialect::kV1}},
      {"CancelTask", {Kind::kCancel, Dialect::kV1}},
      {"SubscribeToTask", {Kind::kResubscribe, Dialect::kV1}},
      {"ListTasks", {Kind::kListTasks, Dialect::kV1}},
      {"CreateTaskPushNotificationConfig", {Kind::kPushConfig, Dialect::kV1}},
      {"GetTaskPushNotificationConfig", {Kind::kPushConfig, Dialect::kV1}},
      {"ListTaskPushNotificationConfigs", {Kind::kPushConfig, Dialect::kV1}},
      {"DeleteTaskPushNotificationConfig", {Kind::kPushConfig, Dialect::kV1}},
      {"GetExtendedAgentCard", {Kind::kExtendedCard, Dialect::kV1}},
      {"message/send", {Kind::kSend, Dialect::kV03}},
      {"message/stream", {Kind::kStream, Dialect::kV03}},
      {"tasks/get", {Kind::kGet, Dialect::kV03}},
      {"tasks/cancel", {Kind::kCancel, Dialect::kV03}},
      {"tasks/resubscribe", {Kind::kResubscribe, Dialect::kV03}},
      {"tasks/pushNotificationConfig/set", {Kind::kPushConfig, Dialect::kV03}},
      {"tasks/pushNotificationConfig/get", {Kind::kPushConfig, Dialect::kV03}},
      {"tasks/pushNotificationConfig/list", {Kind::kPushConfig, Dialect::kV03}},
      {"tasks/pushNotificationConfig/delete", {Kind::kPushConfig, Dialect::kV03}},
      {"agent/getAuthenticatedExtendedCard", {Kind::kExtendedCard, Dialect::kV03}},
  };
  return kMethods;
}

}  // namespace

std::optional<Method> find_method(std::string_view name) {
  auto it = methods().find(name);
  if (it == methods().end()) return std::nullopt;
  return it->second;
}

jsonrpc::RpcError a2a_error(int code, const std::string& message, std::string_view reason,
                            Dialect dialect) {
  if (dialect == Dialect::kV03) return jsonrpc::RpcError(code, message);
  std::string data = R"([{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":")";
  data.append(reason).append(R"(","domain":"a2a-protocol.org"}])");
  return jsonrpc::RpcError(code, message, data);
}

A2aService::A2aService(sdk::Host host, const rapidjson::Value& modules, TaskLimits limits)
    : host_(host), tasks_(limits) {
  if (modules.IsArray()) {
    for (const auto& module : modules.GetArray()) {
      skills_.insert(sdk::get_string(module, "module_id"));
    }
  }
  // Registered under every name, so that unknown names get -32601 from the dispatcher.
  for (const auto& [name, unused] : methods()) {
    dispatcher_.on_request(
        std::string(name), [this](const jsonrpc::Message& message, jsonrpc::Reply reply) {
          const Method method = *find_method(message.method);
          const rapidjson::Value& params = message.params;
          switch (method.kind) {
            case Kind::kSend:
              return send(params, method.dialect, reply);
            case Kind::kGet:
              return reply.ok(get(params, method.dialect));
            case Kind::kCancel:
              return reply.ok(cancel(params, method.dialect));
            case Kind::kStream:
            case Kind::kResubscribe:
              throw jsonrpc::RpcError(jsonrpc::kInvalidRequest,
                                      "Invalid Request: " + message.method +
                                          " streams its answer and cannot be part of a batch");
            case Kind::kPushConfig:
              throw a2a_error(kPushNotificationNotSupported, "Push notifications are not supported",
                              "PUSH_NOTIFICATION_NOT_SUPPORTED", method.dialect);
            case Kind::kExtendedCard:
              throw a2a_error(kExtendedCardNotConfigured, "No extended agent card is configured",
                              "EXTENDED_AGENT_CARD_NOT_CONFIGURED", method.dialect);
            case Kind::kListTasks:
              throw a2a_error(kUnsupportedOperation, "Unsupported operation: ListTasks",
                              "UNSUPPORTED_OPERATION", method.dialect);
          }
        });
  }
}

std::shared_ptr<A2aTask> A2aService::create(SendRequest request) {
  auto task = tasks_.create(host_, std::move(request));
  if (!task) {
    throw jsonrpc::RpcError(jsonrpc::kInternalError,
                            "Internal error: too many A2A tasks are running; try again later");
  }
  return task;
}

void A2aService::send(const rapidjson::Value& params, Dialect dialect, jsonrpc::Reply reply) {
  SendRequest request = read_send_request(params, skills_);
  const bool immediately = request.return_immediately;
  auto task = create(std::move(request));
  if (!immediately) {
    task->attach([](const TaskSnapshot&) {},
                 [reply, dialect](const TaskSnapshot& now, Change) mutable {
                   if (is_terminal(now.state)) reply.ok(render_send_result(now, dialect));
                 });
  }
  task->start();
  if (immediately) reply.ok(render_send_result(task->snapshot(), dialect));
}

std::shared_ptr<A2aTask> A2aService::task_of(const rapidjson::Value& params,
                                             Dialect dialect) const {
  const std::string id = task_id_of(params);
  if (id.empty())
    throw jsonrpc::RpcError(jsonrpc::kInvalidParams, "Invalid params: id is required");
  auto task = tasks_.find(id);
  if (!task) throw a2a_error(kTaskNotFound, "Task not found: " + id, "TASK_NOT_FOUND", dialect);
  return task;
}

std::string A2aService::get(const rapidjson::Value& params, Dialect dialect) const {
  return render_task(task_of(params, dialect)->snapshot(), dialect);
}

std::string A2aService::cancel(const rapidjson::Value& params, Dialect dialect) {
  auto task = task_of(params, dialect);
  if (!task->cancel()) {
    const std::string state(state_name(task->snapshot().state, dialect));
    throw a2a_error(kTaskNotCancelable, "Task cannot be canceled: it is already " + state,
                    "TASK_NOT_CANCELABLE", dialect);
  }
  return render_task(task->snapshot(), dialect);
}

void A2aService::stream(const Method& method, const rapidjson::Value& params,
                        const std::function<void()>& begin, StreamSink sink) {
  const Dialect dialect = method.dialect;
  std::shared_ptr<A2aTask> task;
  if (method.kind == Kind::kStream) {
    task = create(read_send_request(params, skills_));
  } else {
    task = task_of(params, dialect);
    if (task->terminal()) {
      throw a2a_error(kUnsupportedOperation,
                      "Unsupported operation: the task has ended; read it with GetTask",
                      "UNSUPPORTED_OPERATION", dialect);
    }
  }
  begin();
  auto on_now = [&sink, dialect](const TaskSnapshot& now) {
    sink.event(render_send_result(now, dialect));
  };
  auto listener = [sink, dialect](const TaskSnapshot& now, Change what) {
    sink.event(what == Change::kArtifact ? render_artifact_update(now, dialect)
                                         : render_status_update(now, dialect));
    if (is_terminal(now.state)) sink.end();
  };
  if (!task->attach(on_now, listener)) sink.end();  // it ended in the meantime
  if (method.kind == Kind::kStream) task->start();
}

}  // namespace apflow::plugins::a2a
