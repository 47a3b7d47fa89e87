// apflow::schema: JSON Schema (draft-04, as RapidJSON 1.1.0 implements it, plus `format`) with
// violations a person can act on: the offending pointer, the keyword, expected and actual value.
// Includes core/ and RapidJSON only; everything in the host that validates JSON may include it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace apflow::schema {

struct Violation {
  // JSON pointer of the offending value in the instance, "" for the root. For a missing required
  // property or a disallowed additional property: the pointer of that property.
  std::string pointer;
  // The failing keyword: "type", "required", "additionalProperties", "minimum", "enum", ...
  // "json" when the instance text itself is not JSON.
  std::string keyword;
  // What is wrong, with the expected and the actual value.
  std::string message;
};

// A compiled schema. Copies share the compiled state; validate() is const and thread-safe.
class Schema {
 public:
  // Throws apflow::Error(codes::kSchemaParseError) saying what is wrong with the schema.
  static Schema compile(std::string_view schema_json);
  static Schema compile(const rapidjson::Value& schema);

  // The first violation found, or nullopt when the instance is valid.
  std::optional<Violation> validate(const rapidjson::Value& instance) const;
  // As validate(); text that is not JSON gives Violation{keyword "json"} naming the offset.
  std::optional<Violation> validate_json(std::string_view instance_json) const;

  // The schema JSON as compiled.
  const rapidjson::Value& document() const;

 private:
  struct State;
  explicit Schema(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

// "'/engine/max_parallel': expected integer, got string \"x\"", the root shown as "input".
std::string describe(const Violation& violation);

}  // namespace apflow::schema
