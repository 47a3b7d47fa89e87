#include "cli/input_merge.h"

#include <apflow/sdk/error.h>

#include <string>

namespace apflow::plugins::cli {

sdk::Json read_input_object(std::istream& in, size_t limit) {
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > limit) {
      throw sdk::Error("GENERAL_INVALID_INPUT", "--input -: stdin holds more than " +
                                                    std::to_string(limit / (1024 * 1024)) +
                                                    " MiB; pass a smaller JSON object");
    }
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw sdk::Error("GENERAL_INVALID_INPUT",
                     "--input -: stdin is empty; pipe a JSON object, e.g. echo '{}' | apflow ...");
  }
  sdk::Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    throw sdk::Error("GENERAL_INVALID_INPUT", "--input -: stdin is not valid JSON (offset " +
                                                  std::to_string(doc.GetErrorOffset()) + "): " +
                                                  rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) {
    throw sdk::Error("GENERAL_INVALID_INPUT", "--input -: stdin must hold a JSON object");
  }
  return doc;
}

sdk::Json merge_inputs(sdk::Json base, const rapidjson::Value& flags) {
  if (!base.IsObject()) base.SetObject();
  if (!flags.IsObject()) return base;
  auto& alloc = base.GetAllocator();
  for (const auto& member : flags.GetObject()) {
    // Replaced in place: the keys keep the order the user gave them on stdin.
    const auto it = base.FindMember(member.name);
    if (it != base.MemberEnd()) {
      it->value.CopyFrom(member.value, alloc);
    } else {
      base.AddMember(rapidjson::Value(member.name, alloc), rapidjson::Value(member.value, alloc),
                     alloc);
    }
  }
  return base;
}

}  // namespace apflow::plugins::cli
