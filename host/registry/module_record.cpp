#include "registry/module_record.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/error.h"

namespace apflow::registry {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void read_extra(const rapidjson::Value& extra, Annotations& out) {
  if (!extra.IsObject()) {
    throw Error(codes::kGeneralInvalidInput,
                "annotation 'extra' must be an object of namespaced keys, such as "
                "{\"apflow.inline\": true}");
  }
  for (const auto& member : extra.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key.find('.') == std::string_view::npos) {
      throw Error(codes::kGeneralInvalidInput, "annotation extra '" + std::string(key) +
                                                   "' needs a namespace, such as 'apflow." +
                                                   std::string(key) + "'");
    }
    if (key != "apflow.inline") continue;
    if (!member.value.IsBool()) {
      throw Error(codes::kGeneralInvalidInput,
                  "annotation extra 'apflow.inline' must be true or false");
    }
    out.runs_inline = member.value.GetBool();
  }
  rapidjson::StringBuffer text;
  Writer w(text);
  extra.Accept(w);
  out.extra_json.assign(text.GetString(), text.GetSize());
}

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
    if (key == "extra") {
      read_extra(member.value, out);
      continue;
    }
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
                      "open_world, streaming, extra)");
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
  if (extra_json != "{}")
    w.Key("extra"), w.RawValue(extra_json.data(), extra_json.size(), rapidjson::kObjectType);
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
