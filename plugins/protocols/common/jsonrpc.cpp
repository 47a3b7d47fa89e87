#include "common/jsonrpc.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

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
    // One message (nearly always): its params become the root of the parsed document, which
    // the message then keeps, instead of being copied into a document of their own.
    rapidjson::Value params;
    // By name, not by iterator: clang's C++20 finds RapidJSON's iterator comparison ambiguous.
    if (doc.IsObject() && doc.HasMember("params")) {
      rapidjson::Value& given = doc["params"];
      if (given.IsObject() || given.IsArray()) {
        params.Swap(given);
        doc.EraseMember("params");
      }
    }
    parsed.items.push_back(check(doc));
    if (auto* message = std::get_if<Message>(&parsed.items.back()); message && !params.IsNull()) {
      static_cast<rapidjson::Value&>(doc).Swap(params);
      message->params = std::move(doc);
    }
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
  static constexpr std::string_view kHead = R"({"jsonrpc":"2.0","id":)";
  std::string out;
  out.reserve(kHead.size() + id.size() + result_json.size() + 12);
  out.append(kHead).append(id).append(R"(,"result":)").append(result_json).append("}");
  return out;
}

std::string error(std::string_view id, int code, std::string_view message,
                  std::string_view data_json) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out.append(id).append(R"(,"error":{"code":)").append(std::to_string(code));
  out.append(R"(,"message":)").append(json_string(message));
  if (!data_json.empty()) out.append(R"(,"data":)").append(data_json);
  out.append("}}");
  return out;
}

std::string error(const Invalid& invalid) {
  return error(invalid.id, invalid.code, invalid.message);
}

std::string notification(std::string_view method, std::string_view params_json) {
  std::string out = R"({"jsonrpc":"2.0","method":)";
  out.append(json_string(method));
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

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // What follows the backslash for each byte that is escaped ('u': a six-character u00XX form); 0
  // for the others.
  static constexpr auto kEscape = [] {
    std::array<char, 256> escape{};
    for (int c = 0; c < 0x20; ++c) escape[c] = 'u';
    escape['\b'] = 'b';
    escape['\f'] = 'f';
    escape['\n'] = 'n';
    escape['\r'] = 'r';
    escape['\t'] = 't';
    escape['"'] = '"';
    escape['\\'] = '\\';
    return escape;
  }();
  // Eight bytes at a time while none of them needs escaping: a byte below 0x20, a quote or a
  // backslash shows as a high bit in `special`. Written through a pointer into a buffer with room
  // for a slice's worst case (every byte in the six-character form), then appended: appending
  // byte by byte cost more than the rest of the answer, and sizing `out` for the worst case
  // cost a memset of six times the text.
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero_byte = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  char buffer[4096];
  constexpr size_t kSlice = sizeof buffer / 6 - 2;  // the +8 of a block copy fits too
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  const char* in = text.data();
  const char* const end = in + text.size();
  while (in < end) {
    const char* const slice_end = in + std::min<size_t>(static_cast<size_t>(end - in), kSlice);
    char* p = buffer;
    while (in < slice_end) {
      if (slice_end - in >= 8) {
        uint64_t word;
        std::memcpy(&word, in, 8);
        const uint64_t special = ((word - 0x20 * kOnes) & ~word & kHigh) |
                                 has_zero_byte(word ^ ('"' * kOnes)) |
                                 has_zero_byte(word ^ ('\\' * kOnes));
        // The lowest flagged byte is the first to escape (a flag above it may be false).
        const size_t plain = special == 0 ? 8
                             : std::endian::native == std::endian::little
                                 ? static_cast<size_t>(std::countr_zero(special)) / 8
                                 : 0;
        std::memcpy(p, in, 8);
        p += plain;
        in += plain;
        if (plain == 8) continue;
      }
      const auto c = static_cast<unsigned char>(*in++);
      const char escape = kEscape[c];
      if (escape == 0) {
        *p++ = static_cast<char>(c);
        continue;
      }
      *p++ = '\\';
      *p++ = escape;
      if (escape == 'u') {
        *p++ = '0';
        *p++ = '0';
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0xF];
      }
    }
    out.append(buffer, static_cast<size_t>(p - buffer));
  }
  out += '"';
}

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace apflow::plugins::protocols::jsonrpc
