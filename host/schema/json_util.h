// Small JSON helpers shared by the schema implementation: pointers, type names, short renderings.
// Internal to host/schema; nothing outside this folder includes it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace apflow::schema::detail {

// JSON Schema's type name of a value: integer is reported apart from number.
std::string type_name(const rapidjson::Value& value);
// Compact JSON text, cut to about max_chars so a message stays one readable line.
std::string render(const rapidjson::Value& value, std::size_t max_chars = 60);
// "string \"eight\"", "integer 0", "boolean true", "null", "object", "array of 3 items".
std::string describe_actual(const rapidjson::Value& value);
// Enum members and similar lists: strings bare, everything else as JSON.
std::string render_bare(const rapidjson::Value& value);

std::string join_pointer(std::string_view base, std::string_view token);
std::string parent_pointer(std::string_view pointer);
std::vector<std::string> split_pointer(std::string_view pointer);
const rapidjson::Value* resolve_pointer(const rapidjson::Value& root, std::string_view pointer);
// A `$ref` target in this document ("#/definitions/x"), nullptr for anything else.
const rapidjson::Value* resolve_ref(const rapidjson::Value& root, std::string_view ref);

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
std::string plural(std::size_t count, std::string_view noun);
// Unicode code points, as minLength/maxLength count them.
std::size_t code_points(std::string_view utf8);

}  // namespace apflow::schema::detail
