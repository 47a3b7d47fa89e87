// Reading request JSON. Every helper throws STORAGE_INVALID_REQUEST naming the offending field
// by its path ("results[2].status"), so the engine's author sees what to fix.
#pragma once

#include <apflow/sdk/json.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apflow::plugins::storage {

using JsonValue = rapidjson::Value;
using Keys = std::initializer_list<std::string_view>;

// A parsed request: a JSON object whose keys are all in `allowed`. Its document starts in a
// pool inside the object: most requests are small, and a document's own first chunk is 64 KiB
// from the heap, whose release costs a consolidation of malloc's bins on every operation.
class Request {
 public:
  Request(std::string_view text, Keys allowed);
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;
  // Read as the request object itself.
  operator const JsonValue&() const noexcept { return doc_; }

 private:
  char buffer_[4096];
  rapidjson::MemoryPoolAllocator<> pool_;
  sdk::Json doc_;
};

inline Request parse_request(std::string_view text, Keys allowed) {
  return Request(text, allowed);
}

// Refuses the first key of `object` not in `allowed`. `where` is the object's path ("" = root).
void check_keys(const JsonValue& object, Keys allowed, const std::string& where);

// "where.key", or "key" at the root.
std::string field_path(const std::string& where, std::string_view key);

// The member, or nullptr when absent.
const JsonValue* member(const JsonValue& object, const char* key);

std::string need_string(const JsonValue& object, const char* key, const std::string& where);
// Absent or null gives nullopt.
std::optional<std::string> opt_string(const JsonValue& object, const char* key,
                                      const std::string& where);
int64_t opt_int(const JsonValue& object, const char* key, int64_t fallback, int64_t min,
                const std::string& where);
bool opt_bool(const JsonValue& object, const char* key, bool fallback, const std::string& where);
// An array of strings; absent gives an empty list unless `required`.
std::vector<std::string> strings(const JsonValue& object, const char* key, bool required,
                                 const std::string& where);
// An array (of objects, usually); absent gives nullptr unless `required`.
const JsonValue* array(const JsonValue& object, const char* key, bool required,
                       const std::string& where);
// A string or an array of strings, as a list; absent gives nullopt.
std::optional<std::vector<std::string>> one_or_many(const JsonValue& object, const char* key,
                                                    const std::string& where);

// Compact JSON text of a value.
std::string to_text(const JsonValue& value);
// A JSON array of strings: what Dialect::id_set() expects bound to its parameter.
std::string to_json_array(const std::vector<std::string>& items);
// The items without repeats, in first-seen order: what Dialect::id_rows() walks (a repeated id
// would join its rows twice).
std::vector<std::string> distinct(std::vector<std::string> items);

}  // namespace apflow::plugins::storage
