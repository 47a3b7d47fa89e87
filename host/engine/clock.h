// Wall-clock helpers for the engine: Unix milliseconds and ISO-8601 UTC text.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace apflow::engine {

inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-11-26T10:00:00.123Z"
std::string iso_utc(int64_t unix_ms);
inline std::string now_iso() {
  return iso_utc(now_ms());
}

}  // namespace apflow::engine
