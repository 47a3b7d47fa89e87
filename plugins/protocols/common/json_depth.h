// How deeply a JSON text nests, found without parsing it. RapidJSON's parser, writer, copies
// and the schema validator all recurse, so a message nested a million levels deep (a 1 MB body
// of '[') would overflow the stack: the entry points measure first and refuse what is deeper
// than kMaxJsonDepth.
#pragma once

#include <cstddef>
#include <string_view>

namespace apflow::plugins::protocols {

inline constexpr size_t kMaxJsonDepth = 128;

// The deepest nesting of arrays and objects in text, counting only brackets outside strings;
// stops counting once past `limit` (returns limit + 1). Not a validator: the parser still
// rejects what is not JSON.
size_t json_depth(std::string_view text, size_t limit = kMaxJsonDepth);

// How many '[' and '{' text holds, in strings too: a bound on its depth.
size_t opening_brackets(std::string_view text);

// A text with no more opening brackets than the limit cannot nest deeper: counting them (a
// loop the compiler vectorises) costs a fraction of the walk that tells strings apart.
inline bool too_deep(std::string_view text) {
  return opening_brackets(text) > kMaxJsonDepth && json_depth(text) > kMaxJsonDepth;
}

}  // namespace apflow::plugins::protocols
