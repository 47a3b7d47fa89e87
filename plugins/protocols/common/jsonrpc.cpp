#include "common/jsonrpc.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "common/json_depth.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace apflow::plugins::protocols::jsonrpc {
namespace {

// The id as JSON text when it is one JSON-RPC allows (string, number, null), else empty.
std::string id_text(const rapidjson::Value& message) {
  auto it = message.FindMember("id");
  if (it == message.MemberEnd()) return "null";
  const auto& id = it->value;
  // The commonest ids written as RapidJSON's Writer writes them, without one.
  if (id.IsString()) return json_string({id.GetString(), id.GetStringLength()});
  if (id.IsInt64()) return std::to_string(id.GetInt64());
  if (id.IsNumber() || id.IsNull()) return sdk::to_json(id);
  return {};
}

Invalid invalid(std::string id, std::string message) {
  return Invalid{id.empty() ? "null" : std::move(id), kInvalidRequest, std::move(message)};
}

// A message's text copied to be parsed in place, behind room for the pool of its document: one
// allocation sized to the text, where a document's own pool takes a first chunk of 64 KiB (and
// freeing that made malloc consolidate its free lists on every request), and strings that
// need no copying.
struct InPlaceText {
  explicit InPlaceText(std::string_view text)
      : room(2 * text.size() + 256),
        bytes(new char[room + text.size() + 1]),  // not zeroed: nothing needs it
        pool(bytes.get(), room, room) {           // more chunks, if it must grow, of that size too
    std::memcpy(this->text(), text.data(), text.size());
    this->text()[text.size()] = '\0';
  }
  char* text() { return bytes.get() + room; }

  size_t room;
  std::unique_ptr<char[]> bytes;
  rapidjson::MemoryPoolAllocator<> pool;
};

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
  auto storage = std::make_shared<InPlaceText>(text);
  sdk::Json doc(&storage->pool);
  // RapidJSON reads a NUL byte as the end of the text, in place as when given the length.
  doc.ParseInsitu(storage->text());
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
      message->storage = std::move(storage);
    }
    return parsed;
  }
  if (doc.Empty()) {
    parsed.items.emplace_back(invalid("null", "Invalid Request: an empty batch"));
    return parsed;
  }
  parsed.batch = true;
  for (const auto& value : doc.GetArray()) {
    parsed.items.push_back(check(value));
    // A copy shares the strings it was copied from: they stay in the text parsed in place.
    if (auto* message = std::get_if<Message>(&parsed.items.back())) message->storage = storage;
  }
  return parsed;
}

std::string result_head(std::string_view id, size_t result_size) {
  static constexpr std::string_view kHead = R"({"jsonrpc":"2.0","id":)";
  static constexpr std::string_view kResult = R"(,"result":)";
  std::string out;
  out.reserve(kHead.size() + id.size() + kResult.size() + result_size);
  out.append(kHead).append(id).append(kResult);
  return out;
}

std::string result(std::string_view id, std::string_view result_json) {
  std::string out = result_head(id, result_json.size() + 1);
  out.append(result_json).append("}");
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

namespace {

// What follows the backslash for each byte that is escaped ('u': a six-character u00XX form); 0
// for the others.
constexpr auto kEscape = [] {
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

// Writes the escaped form of `c` (one that kEscape flags) at `p`; returns the end.
char* write_escape(char* p, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const char escape = kEscape[c];
  *p++ = '\\';
  *p++ = escape;
  if (escape == 'u') {
    *p++ = '0';
    *p++ = '0';
    *p++ = kHex[c >> 4];
    *p++ = kHex[c & 0xF];
  }
  return p;
}

constexpr size_t kBlock = 16;

// Bit i set: byte i of the 16 at `in` must be escaped (below 0x20, a quote or a backslash).
// Exact, so that every flagged byte can be escaped without looking at the block again.
uint32_t special_bytes(const char* in) {
#if defined(__SSE2__)
  const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(block, _mm_set1_epi8(0x1F)), block);
  const __m128i quote = _mm_cmpeq_epi8(block, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'));
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))));
#else
  // Eight bytes at a time: a byte is zero exactly when its high bit stays clear in
  // ((v & 0x7F..) + 0x7F..) | v; the flags, one per byte's high bit, gathered into eight bits.
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kLow7 = 0x7F * kOnes;
  auto zero_bytes = [](uint64_t v) { return ~(((v & kLow7) + kLow7) | v | kLow7); };
  auto gather = [](uint64_t high_bits) {
    return static_cast<uint32_t>(((high_bits >> 7) * 0x0102040810204080ULL) >> 56);
  };
  uint32_t mask = 0;
  for (size_t half = 0; half < 2; ++half) {
    uint64_t word;
    std::memcpy(&word, in + 8 * half, 8);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    const uint64_t special = zero_bytes(word & (0xE0 * kOnes)) | zero_bytes(word ^ ('"' * kOnes)) |
                             zero_bytes(word ^ ('\\' * kOnes));
    mask |= gather(special) << (8 * half);
  }
  return mask;
#endif
}

// Quotes [in, end) onto `p`, which has room for six bytes per input byte and kBlock more, up to
// its last two blocks. A block is copied whole, then each flagged byte is replaced by its escape
// and the block's rest copied again behind it: a JSON text quoted whole (a tool's output) has a
// quote every few bytes, and looking at each block once keeps that cheap.
char* quote_blocks(const char*& in, const char* end, char* p) {
  while (end - in >= static_cast<std::ptrdiff_t>(2 * kBlock)) {
    uint32_t mask = special_bytes(in);
    std::memcpy(p, in, kBlock);
    if (mask == 0) {
      in += kBlock;
      p += kBlock;
      continue;
    }
    size_t done = 0;  // bytes of the block written
    while (mask != 0) {
      const auto at = static_cast<size_t>(std::countr_zero(mask));
      mask &= mask - 1;
      p += at - done;
      p = write_escape(p, static_cast<unsigned char>(in[at]));
      done = at + 1;
      std::memcpy(p, in + done, kBlock);  // the rest of the block (and some of the next)
    }
    p += kBlock - done;
    in += kBlock;
  }
  return p;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  // Written through a pointer into a buffer with room for a slice's worst case (every byte in
  // the six-character form), then appended: appending byte by byte cost more than the rest of
  // the answer, and sizing `out` for the worst case cost a memset of six times the text.
  char buffer[4096];
  constexpr size_t kSlice = (sizeof buffer - kBlock) / 6;
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  const char* in = text.data();
  const char* const end = in + text.size();
  while (in < end) {
    const char* const slice_end = in + std::min<size_t>(static_cast<size_t>(end - in), kSlice);
    char* p = quote_blocks(in, slice_end, buffer);
    while (in < slice_end) {  // the slice's last bytes, fewer than two blocks
      const auto c = static_cast<unsigned char>(*in++);
      if (kEscape[c] == 0) {
        *p++ = static_cast<char>(c);
      } else {
        p = write_escape(p, c);
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
