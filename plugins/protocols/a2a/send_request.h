// A SendMessage / message/send request read into the module call it asks for: the skill id
// (the module id) and the module input from the message's one data (or JSON text) part.
#pragma once

#include <apflow/sdk/json.h>

#include <set>
#include <string>

namespace apflow::plugins::a2a {

struct SendRequest {
  std::string module_id;
  std::string input_json;
  std::string message_id;
  std::string context_id;  // the client's, or "" for a new one
  // 1.0 configuration.returnImmediately, 0.3 configuration.blocking == false: answer with the
  // working task instead of waiting for the end.
  bool return_immediately = false;
};

// Reads the params. Throws protocols::jsonrpc::RpcError(-32602) naming what is wrong: no
// message, no parts or more than one, a file part, no skillId, or a skill not in `skills`.
SendRequest read_send_request(const rapidjson::Value& params, const std::set<std::string>& skills);

}  // namespace apflow::plugins::a2a
