#include "registry/module_id.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.h"

namespace apflow::registry {
namespace {

bool is_segment_start(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_segment_char(char c) {
  return is_segment_start(c) || (c >= '0' && c <= '9') || c == '_';
}

// True when `text` is one [a-z][a-z0-9_]* segment.
bool is_segment(std::string_view text) {
  return !text.empty() && is_segment_start(text.front()) &&
         std::all_of(text.begin(), text.end(), is_segment_char);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

[[noreturn]] void reject(std::string_view id, const std::string& why) {
  throw Error(codes::kInvalidModuleId, "invalid module id '" + std::string(id) + "': " + why);
}

}  // namespace

void check_module_id(std::string_view id, bool internal) {
  if (id.empty()) reject(id, "it is empty");
  size_t start = 0;
  while (true) {
    const size_t dot = id.find('.', start);
    const std::string_view segment = id.substr(start, dot - start);
    if (!is_segment(segment)) {
      reject(id,
             "each dot-separated segment must start with a lowercase letter and hold only "
             "lowercase letters, digits and '_' (pattern ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$)");
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (id.size() > kMaxModuleIdLength) {
    reject(id, "it has " + std::to_string(id.size()) + " characters, more than the " +
                   std::to_string(kMaxModuleIdLength) + " allowed");
  }
  static constexpr std::array<std::string_view, 7> kReserved = {
      "system", "internal", "core", "apcore", "plugin", "schema", "acl"};
  const std::string first = lowercase(id.substr(0, id.find('.')));
  for (auto reserved : kReserved) {
    if (first == reserved && !(internal && first == "system")) {
      reject(id, "the first segment '" + first + "' is reserved; choose a namespace of your own");
    }
  }
}

void check_simple_id(std::string_view id, std::string_view what) {
  if (!is_segment(id) || id.size() > 64) {
    throw Error(codes::kInvalidModuleId,
                "invalid " + std::string(what) + " '" + std::string(id) +
                    "': it must match ^[a-z][a-z0-9_]*$ and have at most 64 characters");
  }
}

std::string executor_module_id(std::string_view executor_id) {
  return "apflow." + std::string(executor_id);
}

}  // namespace apflow::registry
