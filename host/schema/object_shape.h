// ObjectShape: a quick check that proves an instance valid for the commonest schema of a
// module's input or output: an object with typed properties (strings perhaps with a minLength)
// and required names, and nothing about other members. RapidJSON's validator walks every member of
// the instance, a task row's 48 included; this looks at the declared ones only. Whatever it cannot
// prove valid goes to the full validator, which then gives the verdict and the violation.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace apflow::schema::detail {

class ObjectShape {
 public:
  // The shape of `schema`, or nothing when it uses a keyword this check does not cover.
  static std::optional<ObjectShape> of(const rapidjson::Value& schema);

  // True only when the full validation would also accept `instance`; false says nothing.
  bool admits(const rapidjson::Value& instance) const;

 private:
  enum class Type { kAny, kString, kInteger, kNumber, kBoolean, kObject, kArray, kNull };
  struct Property {
    std::string name;
    Type type = Type::kAny;
    bool required = false;
    uint64_t min_length = 0;  // in code points, for a string value
  };
  static bool matches(const Property& property, const rapidjson::Value& value);

  std::vector<Property> properties_;
  bool closed_ = false;  // additionalProperties: false
};

}  // namespace apflow::schema::detail
