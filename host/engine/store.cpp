#include "engine/store.h"

#include "core/error.h"
#include "core/json_text.h"

namespace apflow::engine {
namespace {

struct Failure {
  bool reported = false;
  std::string code, message, details;
};

void collect_error(void* context, const apflow_error* error) {
  auto* failure = static_cast<Failure*>(context);
  failure->reported = true;
  failure->code = error->code != nullptr ? error->code : "STORAGE_ERROR";
  failure->message = error->message != nullptr ? error->message : "";
  failure->details = error->details_json != nullptr ? error->details_json : "";
}

void collect_text(void* context, const char* data, size_t size) {
  static_cast<std::string*>(context)->append(data, size);
}

apflow_storage_op op_of(const apflow_storage_ops& ops, Store::Op op) {
  switch (op) {
    case Store::Op::kCreateTasks:
      return ops.create_tasks;
    case Store::Op::kGetTasks:
      return ops.get_tasks;
    case Store::Op::kQueryTasks:
      return ops.query_tasks;
    case Store::Op::kUpdateTask:
      return ops.update_task;
    case Store::Op::kDeleteTasks:
      return ops.delete_tasks;
    case Store::Op::kQueueTasks:
      return ops.queue_tasks;
    case Store::Op::kClaimTasks:
      return ops.claim_tasks;
    case Store::Op::kFinishTasks:
      return ops.finish_tasks;
    case Store::Op::kCancelTasks:
      return ops.cancel_tasks;
    case Store::Op::kRenewLeases:
      return ops.renew_leases;
    case Store::Op::kExpireLeases:
      return ops.expire_leases;
    case Store::Op::kRecordProgress:
      return ops.record_progress;
    case Store::Op::kSaveCheckpoint:
      return ops.save_checkpoint;
    case Store::Op::kLoadCheckpoint:
      return ops.load_checkpoint;
    case Store::Op::kClaimInline:
      return ops.struct_size >= APFLOW_STORAGE_OPS_V1_2_SIZE ? ops.claim_inline : nullptr;
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<Store> Store::open(std::string backend_id, const apflow_storage_ops* ops,
                                   void* user_data, const std::string& config_json) {
  if (ops->struct_size < APFLOW_STORAGE_OPS_V1_1_SIZE) {
    throw Error(codes::kGeneralNotImplemented,
                "storage backend '" + backend_id +
                    "' was built for plugin ABI 1.0 and lacks the engine's operations; rebuild it "
                    "against the current apflow-sdk");
  }
  Failure failure;
  apflow_error_sink sink{sizeof(apflow_error_sink), &failure, &collect_error};
  apflow_storage* handle = nullptr;
  if (ops->open(user_data, config_json.data(), config_json.size(), &handle, &sink) != APFLOW_OK ||
      handle == nullptr) {
    throw Error(failure.reported ? failure.code : "STORAGE_ERROR",
                "cannot open the " + backend_id + " store: " +
                    (failure.reported ? failure.message : std::string("no reason given")));
  }
  return std::unique_ptr<Store>(new Store(std::move(backend_id), ops, handle));
}

Store::~Store() {
  ops_->close(handle_);
}

bool Store::supports(Op op) const noexcept {
  return op_of(*ops_, op) != nullptr;
}

rapidjson::Document Store::call(Op op, const rapidjson::Value& request) const {
  return call(op, json_text(request));
}

rapidjson::Document Store::call(Op op, std::string_view request_json) const {
  const std::string response = call_text(op, request_json);
  rapidjson::Document doc;
  doc.Parse(response.c_str(), response.size());
  if (doc.HasParseError()) {
    throw Error("STORAGE_ERROR", "the " + backend_id_ + " store answered with invalid JSON");
  }
  return doc;
}

std::shared_ptr<const rapidjson::Document> Store::call_shared(
    Op op, const rapidjson::Value& request) const {
  return call_shared(op, json_text(request));
}

std::shared_ptr<const rapidjson::Document> Store::call_shared(Op op,
                                                              std::string_view request_json) const {
  struct Parsed {
    std::string text;
    rapidjson::Document doc;
  };
  auto parsed = std::make_shared<Parsed>();
  parsed->text = call_text(op, request_json);
  parsed->doc.ParseInsitu(parsed->text.data());
  if (parsed->doc.HasParseError()) {
    throw Error("STORAGE_ERROR", "the " + backend_id_ + " store answered with invalid JSON");
  }
  return {parsed, &parsed->doc};
}

std::string Store::call_text(Op op, std::string_view request_json) const {
  const apflow_storage_op fn = op_of(*ops_, op);
  if (fn == nullptr) {
    throw Error(codes::kGeneralNotImplemented, "the " + backend_id_ +
                                                   " store lacks this operation; rebuild it "
                                                   "against the current apflow-sdk");
  }
  std::string response;
  Failure failure;
  apflow_text_sink out{sizeof(apflow_text_sink), &response, &collect_text};
  apflow_error_sink sink{sizeof(apflow_error_sink), &failure, &collect_error};
  const apflow_status status = fn(handle_, request_json.data(), request_json.size(), &out, &sink);
  if (status != APFLOW_OK) {
    throw Error(failure.reported ? failure.code : "STORAGE_ERROR",
                failure.reported ? failure.message : "the store failed without saying why",
                failure.details);
  }
  return response;
}

}  // namespace apflow::engine
