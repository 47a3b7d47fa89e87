// One checker per JSON Schema keyword, each returning the violation it finds (nullopt when the
// keyword holds or does not apply to this kind of value). Internal to host/schema.
#pragma once

#include <optional>
#include <string>

#include "schema/explain.h"

namespace apflow::schema::detail {

using KeywordCheck = std::optional<Violation> (*)(const Context&, const rapidjson::Value& schema,
                                                  const rapidjson::Value& value,
                                                  const std::string& pointer);

// Scalars (keywords_scalar.cpp).
std::optional<Violation> check_type(const Context&, const rapidjson::Value&,
                                    const rapidjson::Value&, const std::string&);
std::optional<Violation> check_enum(const Context&, const rapidjson::Value&,
                                    const rapidjson::Value&, const std::string&);
std::optional<Violation> check_minimum(const Context&, const rapidjson::Value&,
                                       const rapidjson::Value&, const std::string&);
std::optional<Violation> check_maximum(const Context&, const rapidjson::Value&,
                                       const rapidjson::Value&, const std::string&);
std::optional<Violation> check_multiple_of(const Context&, const rapidjson::Value&,
                                           const rapidjson::Value&, const std::string&);
std::optional<Violation> check_min_length(const Context&, const rapidjson::Value&,
                                          const rapidjson::Value&, const std::string&);
std::optional<Violation> check_max_length(const Context&, const rapidjson::Value&,
                                          const rapidjson::Value&, const std::string&);
std::optional<Violation> check_pattern(const Context&, const rapidjson::Value&,
                                       const rapidjson::Value&, const std::string&);
std::optional<Violation> check_format(const Context&, const rapidjson::Value&,
                                      const rapidjson::Value&, const std::string&);

// Arrays and objects (keywords_container.cpp).
std::optional<Violation> check_min_items(const Context&, const rapidjson::Value&,
                                         const rapidjson::Value&, const std::string&);
std::optional<Violation> check_max_items(const Context&, const rapidjson::Value&,
                                         const rapidjson::Value&, const std::string&);
std::optional<Violation> check_unique_items(const Context&, const rapidjson::Value&,
                                            const rapidjson::Value&, const std::string&);
std::optional<Violation> check_additional_items(const Context&, const rapidjson::Value&,
                                                const rapidjson::Value&, const std::string&);
std::optional<Violation> check_required(const Context&, const rapidjson::Value&,
                                        const rapidjson::Value&, const std::string&);
std::optional<Violation> check_additional_properties(const Context&, const rapidjson::Value&,
                                                     const rapidjson::Value&, const std::string&);
std::optional<Violation> check_min_properties(const Context&, const rapidjson::Value&,
                                              const rapidjson::Value&, const std::string&);
std::optional<Violation> check_max_properties(const Context&, const rapidjson::Value&,
                                              const rapidjson::Value&, const std::string&);
std::optional<Violation> check_dependencies(const Context&, const rapidjson::Value&,
                                            const rapidjson::Value&, const std::string&);

// Combinations (keywords_combined.cpp).
std::optional<Violation> check_all_of(const Context&, const rapidjson::Value&,
                                      const rapidjson::Value&, const std::string&);
std::optional<Violation> check_any_of(const Context&, const rapidjson::Value&,
                                      const rapidjson::Value&, const std::string&);
std::optional<Violation> check_one_of(const Context&, const rapidjson::Value&,
                                      const rapidjson::Value&, const std::string&);
std::optional<Violation> check_not(const Context&, const rapidjson::Value&, const rapidjson::Value&,
                                   const std::string&);

// The member `key` of `schema`, nullptr when absent.
const rapidjson::Value* member(const rapidjson::Value& schema, const char* key);
// The JSON Schema types in a "type" value, for "expected integer or string".
std::string expected_types(const rapidjson::Value& type);
bool type_matches(const rapidjson::Value& type, const rapidjson::Value& value);

}  // namespace apflow::schema::detail
