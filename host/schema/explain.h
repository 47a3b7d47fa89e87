// Turning a failed keyword into a Violation that names the offending value, what was expected and
// what was found; and a small walker used where RapidJSON cannot say more (inside allOf, anyOf,
// oneOf, patternProperties) and for "format", which RapidJSON does not check. Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "schema/schema.h"
#include "schema/schema_check.h"

namespace apflow::schema::detail {

// One per validation (so per thread): `depth` guards against schemas that recurse without
// descending into the instance.
struct Context {
  const rapidjson::Value& root;  // the whole schema, for $ref
  const Patterns& patterns;
  mutable int depth = 0;
};

// Follows "$ref" (bounded, so a cycle of references cannot loop).
const rapidjson::Value& deref(const Context& context, const rapidjson::Value& schema);

// The violation for `keyword` of `schema` on `value` at `pointer`, nullopt when that keyword holds.
// For required / additionalProperties / items / uniqueItems, `value` is the container and the
// violation points into it.
std::optional<Violation> check_keyword(const Context& context, std::string_view keyword,
                                       const rapidjson::Value& schema,
                                       const rapidjson::Value& value, const std::string& pointer);

// As check_keyword, but always gives a violation: the one RapidJSON reported.
Violation explain(const Context& context, std::string_view keyword, const rapidjson::Value& schema,
                  const rapidjson::Value& value, const std::string& pointer);

enum class CheckMode {
  kAll,         // every keyword this walker knows
  kFormatOnly,  // "format" only, through properties, items, allOf and $ref
};

// The first violation of `value` against `schema`, walking into members and items.
std::optional<Violation> check_value(const Context& context, const rapidjson::Value& schema,
                                     const rapidjson::Value& value, const std::string& pointer,
                                     CheckMode mode);

// The schemas that apply to member `name` of an object under `schema` (properties, matching
// patternProperties, else additionalProperties when it is a schema).
std::vector<const rapidjson::Value*> member_schemas(const Context& context,
                                                    const rapidjson::Value& schema,
                                                    std::string_view name);
// The schema that applies to item `index` of an array under `schema`, nullptr if none.
const rapidjson::Value* item_schema(const Context& context, const rapidjson::Value& schema,
                                    rapidjson::SizeType index);

}  // namespace apflow::schema::detail
