#include "registry/module_call.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "registry/abi_edge.h"

namespace apflow::registry {

CallOutcome CallOutcome::failure(apflow_status status, std::string_view code, std::string message,
                                 std::string details_json) {
  CallOutcome out;
  out.status = status == APFLOW_OK ? APFLOW_ERROR : status;
  out.error_code = code;
  out.error_message = std::move(message);
  out.error_details_json = std::move(details_json);
  out.retryable = is_retryable_code(code);
  return out;
}

std::string CallOutcome::error_json() const {
  rapidjson::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  doc.AddMember("code", rapidjson::Value(error_code.c_str(), a), a);
  doc.AddMember("message", rapidjson::Value(error_message.c_str(), a), a);
  if (!error_details_json.empty()) {
    rapidjson::Document details;
    details.Parse(error_details_json.c_str());
    if (!details.HasParseError()) doc.AddMember("details", rapidjson::Value(details, a), a);
  }
  doc.AddMember("retryable", retryable, a);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

ModuleCall::ModuleCall(std::shared_ptr<const ModuleRecord> module, CallIdentity identity,
                       CallObserver observer, std::optional<CheckpointStore> checkpoints)
    : module_(std::move(module)),
      identity_(std::move(identity)),
      observer_(std::move(observer)),
      checkpoints_(std::move(checkpoints)) {
  auto c_str = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
  abi_.struct_size = sizeof(apflow_call);
  abi_.host_data = this;
  abi_.module_id = module_->id.c_str();
  abi_.task_id = c_str(identity_.task_id);
  abi_.trace_id = c_str(identity_.trace_id);
  abi_.idempotency_key = c_str(identity_.idempotency_key);
  abi_.attempt = identity_.attempt;
  abi_.deadline_ms = identity_.deadline_ms;
  abi_.complete = &abi_complete;
  abi_.is_cancelled = &abi_is_cancelled;
  abi_.report_progress = &abi_progress;
  abi_.report_usage = &abi_usage;
  abi_.log = &abi_log;
  abi_.save_checkpoint = &abi_save_checkpoint;
  abi_.load_checkpoint = &abi_load_checkpoint;
}

void ModuleCall::start(std::string_view input_json, rapidjson::Document* parsed_input) {
  {
    std::lock_guard lock(running_mutex_);
    running_ = shared_from_this();
  }
  CallOutcome failure;
  parsed_input_ = parsed_input;
  try {
    module_->invoke(*this, input_json);
    parsed_input_ = nullptr;
    return;
  } catch (const Error& e) {
    failure = CallOutcome::failure(APFLOW_ERROR, e.code(), e.what(), e.details_json());
  } catch (const std::exception& e) {
    failure = CallOutcome::failure(APFLOW_ERROR, codes::kModuleExecuteError, e.what());
  }
  parsed_input_ = nullptr;
  // The invoker threw instead of completing: the module will not complete this call.
  std::shared_ptr<ModuleCall> keep_alive;
  {
    std::lock_guard lock(running_mutex_);
    keep_alive = std::move(running_);
  }
  deliver(failure);
}

void ModuleCall::complete(CallOutcome outcome) {
  deliver(outcome);
}

rapidjson::Document ModuleCall::take_input(std::string_view input_json) {
  rapidjson::Document input;
  if (parsed_input_ != nullptr) {
    input.Swap(*parsed_input_);
    parsed_input_ = nullptr;
  } else {
    input.Parse(input_json.data(), input_json.size());
  }
  return input;
}

void ModuleCall::complete_output(const rapidjson::Value& output, std::string output_json) {
  module_completed([&] {
    if (auto failure = output_failure(output)) return std::move(*failure);
    CallOutcome out;
    out.output_json = std::move(output_json);
    return out;
  });
}

// The outcome is delivered before the module can see the cancellation: a module that reacts
// to it at once must not win the race with its own "cancelled" (a timeout stays a timeout).
void ModuleCall::cancel(std::string_view reason) {
  deliver(CallOutcome::failure(APFLOW_CANCELLED, codes::kExecutionCancelled, std::string(reason)));
  cancelled_ = true;
}

void ModuleCall::expire() {
  deliver(CallOutcome::failure(APFLOW_TIMEOUT, codes::kModuleTimeout,
                               "module '" + module_->id +
                                   "' did not finish before its deadline; raise timeout_ms or "
                                   "modules.default_timeout_ms if it needs longer"));
  cancelled_ = true;
}

void ModuleCall::deliver(const CallOutcome& outcome) {
  if (delivered_.exchange(true)) return;
  if (observer_.on_done) observer_.on_done(outcome);
}

ModuleCall& ModuleCall::self(const apflow_call* call) {
  return *static_cast<ModuleCall*>(call->host_data);
}

CallOutcome ModuleCall::module_outcome(apflow_status status, std::string_view output,
                                       const apflow_error* error) const {
  if (status != APFLOW_OK) {
    if (error == nullptr || error->code == nullptr) {
      return CallOutcome::failure(status, codes::kModuleExecuteError,
                                  "module '" + module_->id + "' failed without saying why");
    }
    CallOutcome out =
        CallOutcome::failure(status, error->code, error->message != nullptr ? error->message : "",
                             error->details_json != nullptr ? error->details_json : "");
    if (error->retryable >= 0) {
      out.retryable = error->retryable == 1;
    } else if (out.error_code == codes::kModuleExecuteError) {
      out.retryable = module_->annotations.idempotent;
    }
    return out;
  }
  rapidjson::Document doc;
  doc.Parse(output.data(), output.size());
  if (doc.HasParseError()) doc.SetNull();  // refused as "not a JSON object" below
  if (auto failure = output_failure(doc)) return std::move(*failure);
  CallOutcome out;
  out.output_json.assign(output);
  return out;
}

std::optional<CallOutcome> ModuleCall::output_failure(const rapidjson::Value& output) const {
  if (!output.IsObject()) {
    return CallOutcome::failure(APFLOW_ERROR, codes::kModuleExecuteError,
                                "module '" + module_->id +
                                    "' returned a result that is not a "
                                    "JSON object");
  }
  if (auto violation = module_->output_schema.validate(output)) {
    return CallOutcome::failure(APFLOW_ERROR, codes::kSchemaValidationError,
                                "module '" + module_->id +
                                    "' returned a result that does not match its output "
                                    "schema: " +
                                    schema::describe(*violation));
  }
  return std::nullopt;
}

template <typename MakeOutcome>
void ModuleCall::module_completed(MakeOutcome&& make_outcome) {
  std::shared_ptr<ModuleCall> keep_alive;
  {
    std::lock_guard lock(running_mutex_);
    keep_alive = std::move(running_);
  }
  if (!keep_alive) return;  // the invoker threw: start() already delivered its failure
  if (!delivered_.load()) deliver(make_outcome());
}

void ModuleCall::abi_complete(apflow_call* call, apflow_status status, const char* output,
                              size_t size, const apflow_error* error) {
  ModuleCall& me = self(call);
  me.module_completed([&] {
    return me.module_outcome(status, std::string_view(output == nullptr ? "" : output, size),
                             error);
  });
}

int ModuleCall::abi_is_cancelled(const apflow_call* call) {
  return self(call).cancelled_.load() ? 1 : 0;
}

void ModuleCall::abi_progress(apflow_call* call, double fraction, const char* message) {
  ModuleCall& me = self(call);
  if (me.delivered_.load() || !me.observer_.on_progress) return;
  const double clamped = fraction < 0 ? 0 : (fraction > 1 ? 1 : fraction);
  me.observer_.on_progress(clamped, message != nullptr ? message : "");
}

void ModuleCall::abi_usage(apflow_call* call, const char* usage, size_t size) {
  ModuleCall& me = self(call);
  if (me.observer_.on_usage && usage != nullptr) me.observer_.on_usage({usage, size});
}

void ModuleCall::abi_log(apflow_call* call, apflow_log_level level, const char* message) {
  ModuleCall& me = self(call);
  spdlog::log(to_spdlog(level), "[{}{}{}] {}", me.module_->id,
              me.identity_.task_id.empty() ? "" : " task ", me.identity_.task_id,
              message != nullptr ? message : "");
}

apflow_status ModuleCall::abi_save_checkpoint(apflow_call* call, const char* json, size_t size,
                                              apflow_error_sink* error) {
  ModuleCall& me = self(call);
  if (!me.checkpoints_) {
    report_error(error, codes::kGeneralNotImplemented,
                 "checkpoints exist only for task runs, not for direct module calls");
    return APFLOW_ERROR;
  }
  rapidjson::Document doc;
  doc.Parse(json, size);
  if (doc.HasParseError()) {
    report_error(error, codes::kGeneralInvalidInput, "a checkpoint must be valid JSON");
    return APFLOW_ERROR;
  }
  try {
    me.checkpoints_->save(std::string_view(json, size));
    return APFLOW_OK;
  } catch (const std::exception& e) {
    report_error(error, codes::kGeneralInternalError,
                 std::string("saving the checkpoint failed: ") + e.what());
    return APFLOW_ERROR;
  }
}

apflow_status ModuleCall::abi_load_checkpoint(apflow_call* call, apflow_text_sink* out,
                                              apflow_error_sink* error) {
  ModuleCall& me = self(call);
  if (!me.checkpoints_) {
    report_error(error, codes::kGeneralNotImplemented,
                 "checkpoints exist only for task runs, not for direct module calls");
    return APFLOW_ERROR;
  }
  try {
    if (auto saved = me.checkpoints_->load(); saved && out != nullptr && out->write != nullptr) {
      out->write(out->context, saved->data(), saved->size());
    }
    return APFLOW_OK;
  } catch (const std::exception& e) {
    report_error(error, codes::kGeneralInternalError,
                 std::string("loading the checkpoint failed: ") + e.what());
    return APFLOW_ERROR;
  }
}

}  // namespace apflow::registry
