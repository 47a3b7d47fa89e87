#include "registry/module_record.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/error.h"

namespace apflow::registry {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

}  // namespace

Annotations Annotations::from_json(std::string_view json) {
  Annotations out;
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    throw Error(codes::kGeneralInvalidInput, "annotations must be a JSON object");
  }
  const std::pair<const char*, bool*> fields[] = {
      {"readonly", &out.readonly},     {"destructive", &out.destructive},
      {"idempotent", &out.idempotent}, {"requires_approval", &out.requires_approval},
      {"open_world", &out.open_world}, {"streaming", &out.streaming}};
  for (const auto& member : doc.GetObject()) {
    const std::string key = member.name.GetString();
    bool known = false;
    for (const auto& [name, target] : fields) {
      if (key != name) continue;
      if (!member.value.IsBool()) {
        throw Error(codes::kGeneralInvalidInput, "annotation '" + key + "' must be true or false");
      }
      *target = member.value.GetBool();
      known = true;
    }
    if (!known) {
      throw Error(codes::kGeneralInvalidInput,
                  "unknown annotation '" + key +
                      "' (known: readonly, destructive, idempotent, requires_approval, "
                      "open_world, streaming)");
    }
  }
  return out;
}

std::string Annotations::to_json() const {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("readonly"), w.Bool(readonly);
  w.Key("destructive"), w.Bool(destructive);
  w.Key("idempotent"), w.Bool(idempotent);
  w.Key("requires_approval"), w.Bool(requires_approval);
  w.Key("open_world"), w.Bool(open_world);
  w.Key("streaming"), w.Bool(streaming);
  w.EndObject();
  return buffer.GetString();
}

std::string_view to_string(ModuleKind kind) {
  return kind == ModuleKind::kExecutor ? "executor" : "module";
}

std::string ModuleRecord::descriptor_json() const {
  rapidjson::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  auto str = [&a](const std::string& s) { return rapidjson::Value(s.c_str(), a); };
  auto nullable = [&](const std::string& s) { return s.empty() ? rapidjson::Value() : str(s); };
  doc.AddMember("module_id", str(id), a);
  doc.AddMember("name", nullable(name), a);
  doc.AddMember("description", str(description), a);
  doc.AddMember("documentation", nullable(documentation), a);
  doc.AddMember("input_schema", rapidjson::Value(input_schema.document(), a), a);
  doc.AddMember("output_schema", rapidjson::Value(output_schema.document(), a), a);
  doc.AddMember("version", str(version), a);
  rapidjson::Value tag_array(rapidjson::kArrayType);
  for (const auto& tag : tags) tag_array.PushBack(str(tag), a);
  doc.AddMember("tags", tag_array, a);
  rapidjson::Document parsed;
  parsed.Parse(annotations.to_json().c_str());
  doc.AddMember("annotations", rapidjson::Value(parsed, a), a);
  parsed.Parse(examples_json.c_str());
  doc.AddMember("examples", rapidjson::Value(parsed, a), a);
  rapidjson::Value metadata(rapidjson::kObjectType);
  metadata.AddMember("kind", str(std::string(to_string(kind))), a);
  metadata.AddMember("owner", str(owner), a);
  if (kind == ModuleKind::kExecutor) metadata.AddMember("executor_id", str(executor_id), a);
  doc.AddMember("metadata", metadata, a);
  rapidjson::StringBuffer out;
  Writer writer(out);
  doc.Accept(writer);
  return out.GetString();
}

std::string ModuleRecord::summary() const {
  return description.substr(0, description.find('\n'));
}

}  // namespace apflow::registry
