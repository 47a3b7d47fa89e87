// What every fuzz target checks of an answer: it is empty (nothing to answer) or valid JSON.
#pragma once

#include <apflow/sdk/json.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace apflow::fuzz {

inline void expect_json_or_empty(std::string_view text) {
  if (text.empty()) return;
  sdk::Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    std::fprintf(stderr, "answer is not JSON: %.*s\n", static_cast<int>(text.size()), text.data());
    std::abort();
  }
}

}  // namespace apflow::fuzz
