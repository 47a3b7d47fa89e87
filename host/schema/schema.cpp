// RapidJSON's own regex engine keeps its match state inside the compiled regex, so two threads
// validating against one schema would race; std::regex is const while searching, and it speaks the
// ECMAScript dialect JSON Schema asks for. RapidJSON 1.1.0 picks std::regex when this macro is
// defined (whatever its value) and RAPIDJSON_SCHEMA_USE_STDREGEX is not; keep it before schema.h.
#define RAPIDJSON_SCHEMA_USE_INTERNALREGEX 0
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>

#include "schema/schema.h"

#include "core/error.h"
#include "schema/explain.h"
#include "schema/json_util.h"
#include "schema/object_shape.h"
#include "schema/schema_check.h"

static_assert(RAPIDJSON_SCHEMA_USE_STDREGEX == 1, "schema validation must use std::regex");

namespace apflow::schema {
namespace {

// The regex choice above changes RapidJSON's schema templates. Instantiating them on an allocator
// type private to this file gives them internal linkage, so another file of the program that
// includes rapidjson/schema.h with the default settings cannot collide with them.
class PrivateAllocator : public rapidjson::CrtAllocator {};

using SchemaDocument = rapidjson::GenericSchemaDocument<rapidjson::Value, PrivateAllocator>;
using SchemaValidator = rapidjson::GenericSchemaValidator<SchemaDocument>;
using Pointer = SchemaDocument::PointerType;

std::string pointer_text(const Pointer& pointer) {
  std::string text;
  for (std::size_t i = 0; i < pointer.GetTokenCount(); ++i) {
    const auto& token = pointer.GetTokens()[i];
    text = detail::join_pointer(text, std::string_view(token.name, token.length));
  }
  return text;
}

}  // namespace

struct Schema::State {
  rapidjson::Document source;  // declared first: the compiled form reads it while it lives
  detail::SchemaFacts facts;
  // RapidJSON 1.1.0 mis-validates patternProperties (a member matched only by a pattern is checked
  // against the object's own schema, or a stale one), so such schemas are validated by our walker
  // in explain.h instead, and this stays empty.
  std::unique_ptr<SchemaDocument> compiled;
  // For the commonest schemas: proves most instances valid without RapidJSON's full walk.
  std::optional<detail::ObjectShape> shape;
};

namespace {

Violation from_validator(const SchemaValidator& validator, const detail::Context& context,
                         const rapidjson::Value& instance) {
  std::string keyword = validator.GetInvalidSchemaKeyword();
  std::string document_pointer = pointer_text(validator.GetInvalidDocumentPointer());
  // These fail while RapidJSON looks at a member or item; the keyword belongs to its container.
  if (keyword == "additionalProperties" || keyword == "items" || keyword == "uniqueItems") {
    document_pointer = detail::parent_pointer(document_pointer);
  }
  const auto* schema =
      detail::resolve_pointer(context.root, pointer_text(validator.GetInvalidSchemaPointer()));
  const auto* value = detail::resolve_pointer(instance, document_pointer);
  if (schema == nullptr || value == nullptr) {
    return Violation{document_pointer, keyword, "does not satisfy '" + keyword + "'"};
  }
  return detail::explain(context, keyword, *schema, *value, document_pointer);
}

}  // namespace

Schema Schema::compile(std::string_view schema_json) {
  rapidjson::Document document;
  document.Parse(schema_json.data(), schema_json.size());
  if (document.HasParseError()) {
    throw Error(codes::kSchemaParseError,
                std::string("schema is not valid JSON: ") +
                    rapidjson::GetParseError_En(document.GetParseError()) + " (at offset " +
                    std::to_string(document.GetErrorOffset()) + ")");
  }
  return compile(document);
}

Schema Schema::compile(const rapidjson::Value& schema) {
  auto state = std::make_shared<State>();
  state->source.CopyFrom(schema, state->source.GetAllocator());
  state->facts = detail::check_schema(state->source);
  if (!state->facts.has_pattern_properties) {
    state->compiled = std::make_unique<SchemaDocument>(state->source);
  }
  state->shape = detail::ObjectShape::of(state->source);
  return Schema(std::move(state));
}

std::optional<Violation> Schema::validate(const rapidjson::Value& instance) const {
  if (state_->shape && state_->shape->admits(instance)) return std::nullopt;
  detail::Context context{state_->source, state_->facts.patterns};
  if (!state_->compiled) {
    return detail::check_value(context, state_->source, instance, "", detail::CheckMode::kAll);
  }
  SchemaValidator validator(*state_->compiled);
  if (!instance.Accept(validator) || !validator.IsValid()) {
    return from_validator(validator, context, instance);
  }
  if (state_->facts.has_format) {
    return detail::check_value(context, state_->source, instance, "",
                               detail::CheckMode::kFormatOnly);
  }
  return std::nullopt;
}

std::optional<Violation> Schema::validate_json(std::string_view instance_json) const {
  rapidjson::Document document;
  document.Parse(instance_json.data(), instance_json.size());
  if (document.HasParseError()) {
    return Violation{"", "json",
                     std::string("not valid JSON: ") +
                         rapidjson::GetParseError_En(document.GetParseError()) + " (at offset " +
                         std::to_string(document.GetErrorOffset()) + ")"};
  }
  return validate(document);
}

const rapidjson::Value& Schema::document() const {
  return state_->source;
}

std::string describe(const Violation& violation) {
  if (violation.pointer.empty()) return "input: " + violation.message;
  return "'" + violation.pointer + "': " + violation.message;
}

}  // namespace apflow::schema
