#include "a2a/send_request.h"

#include "a2a/a2a_errors.h"
#include "common/json_depth.h"
#include "common/jsonrpc_dispatch.h"

namespace apflow::plugins::a2a {
namespace {

using protocols::jsonrpc::RpcError;

[[noreturn]] void invalid(const std::string& why) {
  throw RpcError(protocols::jsonrpc::kInvalidParams, "Invalid params: " + why);
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// The skill id: params.metadata.skillId first, then the message's metadata (clients differ on
// where they put it).
std::string skill_of(const rapidjson::Value& params, const rapidjson::Value& message) {
  for (const rapidjson::Value* holder : {&params, &message}) {
    const rapidjson::Value* metadata = member(*holder, "metadata");
    if (metadata != nullptr) {
      std::string id = sdk::get_string(*metadata, "skillId");
      if (!id.empty()) return id;
    }
  }
  return {};
}

// The module input a part carries: a data part's value, or a text part read as JSON when it
// is JSON, else the text itself as a JSON string.
std::string input_of(const rapidjson::Value& part) {
  if (const rapidjson::Value* data = member(part, "data")) return sdk::to_json(*data);
  if (const rapidjson::Value* text = member(part, "text"); text != nullptr && text->IsString()) {
    const std::string_view body(text->GetString(), text->GetStringLength());
    if (protocols::too_deep(body)) {
      invalid("the text part nests deeper than " + std::to_string(protocols::kMaxJsonDepth) +
              " levels");
    }
    rapidjson::Document doc;
    doc.Parse(text->GetString(), text->GetStringLength());
    if (!doc.HasParseError()) return sdk::to_json(doc);
    return sdk::to_json(*text);
  }
  invalid("only data and text parts are accepted (file, raw and url parts are not)");
}

bool returns_immediately(const rapidjson::Value& params) {
  const rapidjson::Value* configuration = member(params, "configuration");
  if (configuration == nullptr) return false;
  if (sdk::get_bool(*configuration, "returnImmediately")) return true;
  const rapidjson::Value* blocking = member(*configuration, "blocking");
  return blocking != nullptr && blocking->IsBool() && !blocking->GetBool();
}

}  // namespace

SendRequest read_send_request(const rapidjson::Value& params, const std::set<std::string>& skills) {
  const rapidjson::Value* message = member(params, "message");
  if (message == nullptr || !message->IsObject()) invalid("params.message is required");
  const rapidjson::Value* parts = member(*message, "parts");
  if (parts == nullptr || !parts->IsArray() || parts->Size() != 1) {
    invalid("message.parts must hold exactly one part, the module input");
  }
  SendRequest request;
  request.module_id = skill_of(params, *message);
  if (request.module_id.empty()) {
    invalid("metadata.skillId is required: the id of the skill (module) to run");
  }
  if (skills.count(request.module_id) == 0) invalid("Skill not found: " + request.module_id);
  request.input_json = input_of((*parts)[0]);
  request.message_id = sdk::get_string(*message, "messageId");
  request.context_id = sdk::get_string(*message, "contextId");
  if (!sdk::get_string(*message, "taskId").empty()) {
    throw RpcError(kUnsupportedOperation,
                   "Unsupported operation: an apflow A2A task takes one message; send a new "
                   "message without taskId");
  }
  request.return_immediately = returns_immediately(params);
  return request;
}

}  // namespace apflow::plugins::a2a
