// Responses are written with RapidJSON's streaming writer: rows go out without building a DOM,
// and JSON columns are copied as raw text.
#pragma once

#include <apflow/sdk/json.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace apflow::plugins::storage {

class JsonOut {
 public:
  using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

  Writer& w() noexcept { return writer_; }
  void key(std::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void string(std::string_view s) {
    writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  void field(std::string_view k, std::string_view s) {
    key(k);
    string(s);
  }
  void field(std::string_view k, int64_t n) {
    key(k);
    writer_.Int64(n);
  }
  // Trusted JSON text (a column the store wrote itself, a row written as text). The writer puts
  // the separator before it; the text is then copied in one block, where the writer's RawValue
  // copies byte by byte (half the cost of a row).
  void raw(std::string_view json) {
    writer_.RawValue("", 0, rapidjson::kObjectType);
    if (!json.empty()) std::memcpy(buffer_.Push(json.size()), json.data(), json.size());
  }
  void string_list(std::string_view k, const auto& items) {
    key(k);
    writer_.StartArray();
    for (const auto& item : items) string(item);
    writer_.EndArray();
  }
  // Room for `bytes` more at once: a large response then does not regrow (and fault in new
  // pages) as it is written.
  void reserve(std::size_t bytes) { buffer_.Reserve(bytes); }
  std::string text() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  Writer writer_{buffer_};
};

}  // namespace apflow::plugins::storage
