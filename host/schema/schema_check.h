// Checks a schema before RapidJSON compiles it, because RapidJSON silently ignores what it cannot
// use (an unknown type name, a bad regex, a dangling $ref) and the schema would then accept too
// much. Internal to host/schema.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace apflow::schema::detail {

// Every regex of a schema ("pattern", "patternProperties" keys), compiled once at schema compile
// time; read-only afterwards, so concurrent validations may share it.
class Patterns {
 public:
  // The regex error text when `pattern` is not an ECMAScript regex.
  std::optional<std::string> add(const std::string& pattern);
  bool search(std::string_view pattern, std::string_view text) const;

 private:
  std::map<std::string, std::regex, std::less<>> regexes_;
};

struct SchemaFacts {
  Patterns patterns;
  bool has_format = false;              // RapidJSON ignores "format"; we check it in a second pass
  bool has_pattern_properties = false;  // RapidJSON 1.1.0 gets these wrong (see schema.cpp)
};

// Throws apflow::Error(codes::kSchemaParseError) naming the schema pointer and the problem.
SchemaFacts check_schema(const rapidjson::Value& root);

}  // namespace apflow::schema::detail
