#include <cmath>

#include "schema/format.h"
#include "schema/json_util.h"
#include "schema/keywords.h"

namespace apflow::schema::detail {
namespace {

Violation make(const std::string& pointer, const char* keyword, std::string message) {
  return Violation{pointer, keyword, std::move(message)};
}

bool type_is(std::string_view name, const rapidjson::Value& value) {
  if (name == "number") return value.IsNumber();
  if (name == "integer") return value.IsInt64() || value.IsUint64();
  return name == type_name(value);
}

int compare_numbers(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsInt64() && b.IsInt64()) {
    return a.GetInt64() < b.GetInt64() ? -1 : (a.GetInt64() > b.GetInt64() ? 1 : 0);
  }
  if (a.IsUint64() && b.IsUint64()) {
    return a.GetUint64() < b.GetUint64() ? -1 : (a.GetUint64() > b.GetUint64() ? 1 : 0);
  }
  double x = a.GetDouble();
  double y = b.GetDouble();
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool flag(const rapidjson::Value& schema, const char* key) {
  const auto* value = member(schema, key);
  return value != nullptr && value->IsBool() && value->GetBool();
}

std::string_view text_of(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

}  // namespace

const rapidjson::Value* member(const rapidjson::Value& schema, const char* key) {
  if (!schema.IsObject()) return nullptr;
  auto found = schema.FindMember(key);
  return found == schema.MemberEnd() ? nullptr : &found->value;
}

std::string expected_types(const rapidjson::Value& type) {
  if (type.IsString()) return type.GetString();
  std::vector<std::string> names;
  for (const auto& name : type.GetArray()) names.emplace_back(name.GetString());
  if (names.size() <= 1) return join(names);
  std::string last = names.back();
  names.pop_back();
  return join(names) + " or " + last;
}

bool type_matches(const rapidjson::Value& type, const rapidjson::Value& value) {
  if (type.IsString()) return type_is(text_of(type), value);
  if (!type.IsArray()) return true;
  for (const auto& name : type.GetArray()) {
    if (name.IsString() && type_is(text_of(name), value)) return true;
  }
  return false;
}

std::optional<Violation> check_type(const Context&, const rapidjson::Value& schema,
                                    const rapidjson::Value& value, const std::string& pointer) {
  const auto* type = member(schema, "type");
  if (type == nullptr || type_matches(*type, value)) return std::nullopt;
  return make(pointer, "type",
              "expected " + expected_types(*type) + ", got " + describe_actual(value));
}

std::optional<Violation> check_enum(const Context&, const rapidjson::Value& schema,
                                    const rapidjson::Value& value, const std::string& pointer) {
  const auto* allowed = member(schema, "enum");
  if (allowed == nullptr || !allowed->IsArray()) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& candidate : allowed->GetArray()) {
    if (candidate == value) return std::nullopt;
    names.push_back(render_bare(candidate));
  }
  std::string expected =
      names.size() == 1 ? "must be " + names.front() : "must be one of: " + join(names);
  return make(pointer, "enum", expected + " (got " + render(value) + ")");
}

std::optional<Violation> check_minimum(const Context&, const rapidjson::Value& schema,
                                       const rapidjson::Value& value, const std::string& pointer) {
  const auto* limit = member(schema, "minimum");
  if (limit == nullptr || !limit->IsNumber() || !value.IsNumber()) return std::nullopt;
  bool exclusive = flag(schema, "exclusiveMinimum");
  int order = compare_numbers(value, *limit);
  if (order > 0 || (order == 0 && !exclusive)) return std::nullopt;
  return make(pointer, "minimum",
              std::string("must be ") + (exclusive ? "> " : ">= ") + render(*limit) + ", got " +
                  render(value));
}

std::optional<Violation> check_maximum(const Context&, const rapidjson::Value& schema,
                                       const rapidjson::Value& value, const std::string& pointer) {
  const auto* limit = member(schema, "maximum");
  if (limit == nullptr || !limit->IsNumber() || !value.IsNumber()) return std::nullopt;
  bool exclusive = flag(schema, "exclusiveMaximum");
  int order = compare_numbers(value, *limit);
  if (order < 0 || (order == 0 && !exclusive)) return std::nullopt;
  return make(pointer, "maximum",
              std::string("must be ") + (exclusive ? "< " : "<= ") + render(*limit) + ", got " +
                  render(value));
}

std::optional<Violation> check_multiple_of(const Context&, const rapidjson::Value& schema,
                                           const rapidjson::Value& value,
                                           const std::string& pointer) {
  const auto* divisor = member(schema, "multipleOf");
  if (divisor == nullptr || !divisor->IsNumber() || !value.IsNumber()) return std::nullopt;
  bool ok = true;
  if (value.IsInt64() && divisor->IsInt64() && divisor->GetInt64() > 0) {
    ok = value.GetInt64() % divisor->GetInt64() == 0;
  } else if (divisor->GetDouble() > 0) {
    double quotient = value.GetDouble() / divisor->GetDouble();
    ok = std::fabs(quotient - std::round(quotient)) <= 1e-9 * std::fmax(1.0, std::fabs(quotient));
  }
  if (ok) return std::nullopt;
  return make(pointer, "multipleOf",
              "must be a multiple of " + render(*divisor) + ", got " + render(value));
}

std::optional<Violation> check_min_length(const Context&, const rapidjson::Value& schema,
                                          const rapidjson::Value& value,
                                          const std::string& pointer) {
  const auto* limit = member(schema, "minLength");
  if (limit == nullptr || !limit->IsUint() || !value.IsString()) return std::nullopt;
  std::size_t length = code_points(text_of(value));
  if (length >= limit->GetUint()) return std::nullopt;
  return make(pointer, "minLength",
              "must be at least " + plural(limit->GetUint(), "character") + " long, got " +
                  std::to_string(length) + " (" + render(value) + ")");
}

std::optional<Violation> check_max_length(const Context&, const rapidjson::Value& schema,
                                          const rapidjson::Value& value,
                                          const std::string& pointer) {
  const auto* limit = member(schema, "maxLength");
  if (limit == nullptr || !limit->IsUint() || !value.IsString()) return std::nullopt;
  std::size_t length = code_points(text_of(value));
  if (length <= limit->GetUint()) return std::nullopt;
  return make(pointer, "maxLength",
              "must be at most " + plural(limit->GetUint(), "character") + " long, got " +
                  std::to_string(length) + " (" + render(value) + ")");
}

std::optional<Violation> check_pattern(const Context& context, const rapidjson::Value& schema,
                                       const rapidjson::Value& value, const std::string& pointer) {
  const auto* pattern = member(schema, "pattern");
  if (pattern == nullptr || !pattern->IsString() || !value.IsString()) return std::nullopt;
  if (context.patterns.search(text_of(*pattern), text_of(value))) return std::nullopt;
  return make(pointer, "pattern",
              "must match the pattern '" + std::string(text_of(*pattern)) + "', got " +
                  describe_actual(value));
}

std::optional<Violation> check_format(const Context&, const rapidjson::Value& schema,
                                      const rapidjson::Value& value, const std::string& pointer) {
  const auto* format = member(schema, "format");
  if (format == nullptr || !format->IsString() || !value.IsString()) return std::nullopt;
  if (format_matches(text_of(*format), text_of(value))) return std::nullopt;
  return make(pointer, "format",
              "must be " + format_example(text_of(*format)) + ", got " + describe_actual(value));
}

}  // namespace apflow::schema::detail
