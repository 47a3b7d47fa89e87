// Reading a large request without holding it whole as a DOM. create_tasks receives a tree of up
// to hundreds of thousands of tasks; parsed at once, its DOM alone is the process's peak memory.
// scan_request checks the whole text (JSON, object, allowed keys) in one pass without building
// anything and notes where each top-level value and each element of the listed arrays lies, so
// the operation can parse one element at a time.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "storage/common/request.h"

namespace apflow::plugins::storage {

// Where a value lies in the request text: [begin, end), possibly led by ',' ':' and spaces.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string id;  // an element's string member "id", noted while scanning ("" if none)
};

class RequestSpans {
 public:
  // Throws STORAGE_INVALID_REQUEST for invalid JSON, a non-object, or a key not in `allowed`.
  // The elements of the top-level arrays named in `split` are noted one by one.
  RequestSpans(std::string_view text, Keys allowed, Keys split);

  bool has(std::string_view key) const { return values_.count(key) != 0; }
  // A top-level value, parsed on its own (must be present).
  sdk::Json value(std::string_view key) const;
  // The elements of a split array; empty when the key is absent. Throws when it is present but
  // not an array, naming the field.
  const std::vector<Span>& items(std::string_view key) const;
  // One element, parsed into `out` (reused between elements to keep allocations down).
  void parse(const Span& span, sdk::Json& out) const;

 private:
  class Scanner;

  std::string_view text_;
  std::map<std::string, Span, std::less<>> values_;
  std::map<std::string, std::vector<Span>, std::less<>> items_;
};

}  // namespace apflow::plugins::storage
