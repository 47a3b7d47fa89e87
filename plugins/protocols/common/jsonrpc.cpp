#include "common/jsonrpc.h"

#include "common/json_depth.h"

namespace apflow::plugins::protocols::jsonrpc {
namespace {

// The id as JSON text when it is one JSON-RPC allows (string, number, null), else empty.
std::string id_text(const rapidjson::Value& message) {
  auto it = message.FindMember("id");
  if (it == message.MemberEnd()) return "null";
  const auto& id = it->value;
  if (id.IsString() || id.IsNumber() || id.IsNull()) return sdk::to_json(id);
  return {};
}

Invalid invalid(std::string id, std::string message) {
  return Invalid{id.empty() ? "null" : std::move(id), kInvalidRequest, std::move(message)};
}

}  // namespace

Item check(const rapidjson::Value& value) {
  if (!value.IsObject()) return invalid("null", "Invalid Request: a message must be an object");
  const std::string id = id_text(value);
  auto version = value.FindMember("jsonrpc");
  if (version == value.MemberEnd() || !version->value.IsString() ||
      std::string_view(version->value.GetString()) != "2.0") {
    return invalid(id, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
  }
  if (id.empty()) return invalid("null", "Invalid Request: \"id\" must be a string or a number");
  const bool has_id = value.HasMember("id");
  auto method = value.FindMember("method");
  Message message;
  message.id = id;
  if (method == value.MemberEnd()) {
    if (has_id && (value.HasMember("result") || value.HasMember("error"))) {
      message.kind = Message::Kind::kResponse;
      return message;
    }
    return invalid(id, "Invalid Request: \"method\" is missing");
  }
  if (!method->value.IsString()) return invalid(id, "Invalid Request: \"method\" must be a string");
  message.method.assign(method->value.GetString(), method->value.GetStringLength());
  message.kind = has_id ? Message::Kind::kRequest : Message::Kind::kNotification;
  auto params = value.FindMember("params");
  if (params != value.MemberEnd()) {
    if (!params->value.IsObject() && !params->value.IsArray()) {
      return invalid(id, "Invalid Request: \"params\" must be an object or an array");
    }
    message.params.CopyFrom(params->value, message.params.GetAllocator());
  }
  return message;
}

Parsed parse(std::string_view text) {
  Parsed parsed;
  if (too_deep(text)) {
    parsed.items.emplace_back(
        Invalid{"null", kParseError,
                "Parse error: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"});
    return parsed;
  }
  sdk::Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    parsed.items.emplace_back(
        Invalid{"null", kParseError,
                std::string("Parse error: ") + rapidjson::GetParseError_En(doc.GetParseError()) +
                    " (at offset " + std::to_string(doc.GetErrorOffset()) + ")"});
    return parsed;
  }
  if (!doc.IsArray()) {
    parsed.items.push_back(check(doc));
    return parsed;
  }
  if (doc.Empty()) {
    parsed.items.emplace_back(invalid("null", "Invalid Request: an empty batch"));
    return parsed;
  }
  parsed.batch = true;
  for (const auto& value : doc.GetArray()) parsed.items.push_back(check(value));
  return parsed;
}

std::string result(std::string_view id, std::string_view result_json) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out.append(id).append(R"(,"result":)").append(result_json).append("}");
  return out;
}

std::string error(std::string_view id, int code, std::string_view message,
                  std::string_view data_json) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out.append(id).append(R"(,"error":{"code":)").append(std::to_string(code));
  out.append(R"(,"message":)").append(quoted(message));
  if (!data_json.empty()) out.append(R"(,"data":)").append(data_json);
  out.append("}}");
  return out;
}

std::string error(const Invalid& invalid) {
  return error(invalid.id, invalid.code, invalid.message);
}

std::string notification(std::string_view method, std::string_view params_json) {
  std::string out = R"({"jsonrpc":"2.0","method":)";
  out.append(quoted(method));
  if (!params_json.empty()) out.append(R"(,"params":)").append(params_json);
  out.append("}");
  return out;
}

std::string batch(const std::vector<std::string>& responses) {
  std::string out = "[";
  for (size_t i = 0; i < responses.size(); ++i) {
    if (i > 0) out.append(",");
    out.append(responses[i]);
  }
  out.append("]");
  return out;
}

void append_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  size_t plain = 0;  // start of the run of characters copied as they are
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    out.push_back('\\');
    switch (c) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\r':
        out.push_back('r');
        break;
      case '\t':
        out.push_back('t');
        break;
      default:
        out.append("u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

std::string quoted(std::string_view text) {
  std::string out;
  append_quoted(out, text);
  return out;
}

}  // namespace apflow::plugins::protocols::jsonrpc
