#include "common/json_depth.h"

namespace apflow::plugins::protocols {

size_t json_depth(std::string_view text, size_t limit) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return limit + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

size_t opening_brackets(std::string_view text) {
  size_t count = 0;
  for (const char c : text) count += static_cast<size_t>(c == '[') + static_cast<size_t>(c == '{');
  return count;
}

}  // namespace apflow::plugins::protocols
