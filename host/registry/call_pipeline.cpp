#include "registry/call_pipeline.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>

#include "core/error.h"

namespace apflow::registry {
namespace {

int64_t now_epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// apcore's details shape: {"errors":[{"field":..,"code":..,"message":..}]}
std::string violation_details(const schema::Violation& violation) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("errors");
  w.StartArray();
  w.StartObject();
  w.Key("field"), w.String(violation.pointer);
  w.Key("code"), w.String(violation.keyword);
  w.Key("message"), w.String(violation.message);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

// Expires the call at `when` unless it ends first (its on_done disarms what `armed` holds).
void watch_deadline(DeadlineWatcher& deadlines, const std::shared_ptr<ModuleCall>& call,
                    std::atomic<DeadlineWatcher::Id>& armed,
                    DeadlineWatcher::Clock::time_point when) {
  std::weak_ptr<ModuleCall> weak = call;
  armed.store(deadlines.arm(when, [weak] {
    if (auto alive = weak.lock()) alive->expire();
  }));
  // A call may have finished before the deadline was recorded; disarm it then.
  if (call->is_done()) {
    if (auto id = armed.exchange(0)) deadlines.disarm(id);
  }
}

// The input is checked where the call runs, then handed to the module, or refused.
void validate_and_start(ModuleCall& call, std::string_view input_json) {
  rapidjson::Document input;
  if (auto failure = CallPipeline::validate_input(call.module(), input_json, &input)) {
    call.complete(std::move(*failure));
  } else {
    call.start(input_json, &input);
  }
}

}  // namespace

CallPipeline::CallPipeline(const Registry& registry, int64_t default_timeout_ms,
                           size_t worker_threads)
    : registry_(registry), default_timeout_ms_(default_timeout_ms), workers_(worker_threads) {}

CallPipeline::~CallPipeline() {
  drain();
}

void CallPipeline::drain() {
  workers_.join();
}

std::optional<CallOutcome> CallPipeline::validate_input(const ModuleRecord& module,
                                                        std::string_view input_json,
                                                        rapidjson::Document* parsed) {
  rapidjson::Document local;
  rapidjson::Document& input = parsed != nullptr ? *parsed : local;
  input.Parse(input_json.data(), input_json.size());
  if (input.HasParseError()) {
    return CallOutcome::failure(APFLOW_ERROR, codes::kGeneralInvalidInput,
                                "the input of '" + module.id + "' is not valid JSON (offset " +
                                    std::to_string(input.GetErrorOffset()) +
                                    "): " + rapidjson::GetParseError_En(input.GetParseError()));
  }
  if (!input.IsObject()) {
    return CallOutcome::failure(APFLOW_ERROR, codes::kGeneralInvalidInput,
                                "the input of '" + module.id + "' must be a JSON object");
  }
  if (auto violation = module.input_schema.validate(input)) {
    return CallOutcome::failure(
        APFLOW_ERROR, codes::kSchemaValidationError,
        "invalid input for '" + module.id + "': " + schema::describe(*violation),
        violation_details(*violation));
  }
  return std::nullopt;
}

std::shared_ptr<ModuleCall> CallPipeline::start(CallRequest request, CallObserver observer) {
  auto module = registry_.find(request.module_id);
  if (!module) {
    observer.on_done(CallOutcome::failure(
        APFLOW_ERROR, codes::kModuleNotFound,
        "no module '" + request.module_id + "' is registered; `apflow info` lists them"));
    return nullptr;
  }
  const int64_t timeout = request.timeout_ms > 0 ? request.timeout_ms : default_timeout_ms_;
  request.identity.deadline_ms = now_epoch_ms() + timeout;

  // The deadline must be disarmed when the call ends however it ends, so wrap on_done.
  auto deadline_id = std::make_shared<std::atomic<DeadlineWatcher::Id>>(0);
  auto user_done = std::move(observer.on_done);
  observer.on_done = [this, deadline_id, user_done](const CallOutcome& outcome) {
    if (auto id = deadline_id->exchange(0)) deadlines_.disarm(id);
    user_done(outcome);
  };
  auto call = std::make_shared<ModuleCall>(module, std::move(request.identity), std::move(observer),
                                           std::move(request.checkpoints));
  const auto deadline = DeadlineWatcher::Clock::now() + std::chrono::milliseconds(timeout);
  // An instant module costs less run here than two thread hand-offs (to a worker and back).
  // It has nearly always finished when it returns, and is not interrupted while it runs
  // anyway: its deadline is armed only if it has not, since arming one for every call woke
  // the watcher's thread for most of them (a futex wake-up and two context switches a call).
  if (request.allow_inline && call->module().annotations.runs_inline) {
    validate_and_start(*call, request.input_json);
    if (!call->is_done()) watch_deadline(deadlines_, call, *deadline_id, deadline);
    return call;
  }
  watch_deadline(deadlines_, call, *deadline_id, deadline);
  // Validation runs on the worker too: a caller starting many calls (the scheduler) does not
  // parse and check every input on its own thread.
  boost::asio::post(workers_, [call, input = std::move(request.input_json)] {
    if (call->is_cancelled()) {
      call->cancel();
      return;
    }
    validate_and_start(*call, input);
  });
  return call;
}

CallOutcome CallPipeline::call(CallRequest request) {
  auto promise = std::make_shared<std::promise<CallOutcome>>();
  auto future = promise->get_future();
  CallObserver observer;
  observer.on_done = [promise](const CallOutcome& outcome) { promise->set_value(outcome); };
  start(std::move(request), std::move(observer));
  return future.get();
}

}  // namespace apflow::registry
