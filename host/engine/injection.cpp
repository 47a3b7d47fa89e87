#include "engine/injection.h"

namespace apflow::engine {
namespace {

using rapidjson::Value;

void set_member(rapidjson::Document& doc, const Value& key, const Value& value) {
  auto& a = doc.GetAllocator();
  doc.RemoveMember(key.GetString());
  doc.AddMember(Value(key, a), Value(value, a), a);
}

// Whether a closed schema (additionalProperties: false, no patternProperties) declares `key`.
bool accepts(const Value* schema, const Value& key) {
  if (schema == nullptr || !schema->IsObject()) return true;
  auto extra = schema->FindMember("additionalProperties");
  if (extra == schema->MemberEnd() || !extra->value.IsFalse()) return true;
  if (schema->HasMember("patternProperties")) return true;  // not second-guessed here
  auto properties = schema->FindMember("properties");
  return properties != schema->MemberEnd() && properties->value.IsObject() &&
         properties->value.HasMember(key);
}

// apflow unwraps {"result": x} (and only when the key is present) before merging.
const Value& unwrapped(const Value& result) {
  if (result.IsObject()) {
    auto it = result.FindMember("result");
    if (it != result.MemberEnd()) return it->value;
  }
  return result;
}

}  // namespace

rapidjson::Document inject_results(const Value& inputs, const Value& dependencies,
                                   const Value& results, std::string_view mode,
                                   std::string_view executor_id, const Value* input_schema) {
  rapidjson::Document out;
  if (inputs.IsObject()) {
    out.CopyFrom(inputs, out.GetAllocator());
  } else {
    out.SetObject();
  }
  if (!dependencies.IsArray() || !results.IsObject()) return out;
  const bool merge = mode == "merge";
  const bool aggregator = executor_id == "aggregate_results_executor";
  for (const Value& dep : dependencies.GetArray()) {
    const Value* id = dep.IsString() ? &dep : nullptr;
    if (dep.IsObject() && dep.HasMember("id") && dep["id"].IsString()) id = &dep["id"];
    if (id == nullptr) continue;
    auto found = results.FindMember(id->GetString());
    if (found == results.MemberEnd() || !found->value.IsObject()) continue;
    const Value& entry = found->value;
    auto status = entry.FindMember("status");
    if (status == entry.MemberEnd() || !status->value.IsString() ||
        std::string_view(status->value.GetString()) != "completed") {
      continue;
    }
    auto result_it = entry.FindMember("result");
    const Value null_value;
    const Value& result = result_it == entry.MemberEnd() ? null_value : result_it->value;
    auto inject = [&](const Value& key, const Value& value) {
      if (accepts(input_schema, key)) set_member(out, key, value);
    };
    if (!merge) {
      inject(*id, result);
      continue;
    }
    const Value& actual = unwrapped(result);
    if (!aggregator && actual.IsObject()) {
      for (const auto& m : actual.GetObject()) inject(m.name, m.value);
    } else {
      inject(*id, actual);
    }
  }
  return out;
}

}  // namespace apflow::engine
