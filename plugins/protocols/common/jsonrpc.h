// JSON-RPC 2.0 messages: parsing one message or a batch into requests, notifications and
// responses, and writing responses. Transport-free; MCP and A2A build on it.
#pragma once

#include <apflow/sdk/json.h>

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace apflow::plugins::protocols::jsonrpc {

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

// A well-formed message. A request has an id; a notification has none; a response (from a
// client answering a server request) has result or error instead of a method.
struct Message {
  enum class Kind { kRequest, kNotification, kResponse };
  Kind kind = Kind::kRequest;
  std::string id;  // the id as JSON text ("1", "\"a\""); "null" for notifications
  std::string method;
  // What params' strings and values live in when parse() read them in place (the message's
  // text and the pool its document allocates from): params must not outlive it.
  std::shared_ptr<const void> storage;
  sdk::Json params;  // object or array; null when absent
};

// A message that cannot be processed: what to answer (id "null" when it could not be read).
struct Invalid {
  std::string id = "null";
  int code = kInvalidRequest;
  std::string message;
};

using Item = std::variant<Message, Invalid>;

struct Parsed {
  bool batch = false;  // the text was a JSON array
  std::vector<Item> items;
};

// Parses text as one message or a batch. Never throws for bad input: unreadable JSON is one
// Invalid(kParseError); an empty batch is one Invalid(kInvalidRequest), answered unbatched.
Parsed parse(std::string_view text);

// Checks one parsed JSON value as a message.
Item check(const rapidjson::Value& value);

// Response texts. result_json and data_json are JSON texts (data may be empty for none).
std::string result(std::string_view id, std::string_view result_json);
// A result response up to its result ({"jsonrpc":"2.0","id":..,"result":), with room for
// `result_size` more bytes: result() is it, the result and "}".
std::string result_head(std::string_view id, size_t result_size);
std::string error(std::string_view id, int code, std::string_view message,
                  std::string_view data_json = {});
std::string error(const Invalid& invalid);
// A notification or request sent by the server. params_json may be empty for none.
std::string notification(std::string_view method, std::string_view params_json);
// Joins response texts into a batch response ("[a,b]").
std::string batch(const std::vector<std::string>& responses);

// `text` as a JSON string, escaped exactly as RapidJSON's Writer escapes it; append_json_string
// writes it straight onto `out` (a tool result quotes its whole output: no temporary copies).
std::string json_string(std::string_view text);
void append_json_string(std::string& out, std::string_view text);

}  // namespace apflow::plugins::protocols::jsonrpc
