// Wall-clock time as the store writes it: Unix milliseconds and ISO-8601 UTC text.
#pragma once

#include <cstdint>
#include <string>

namespace apflow::plugins::storage {

int64_t now_ms();
// "2026-11-26T10:00:00.000Z": fixed width, so text order is time order.
std::string iso_utc(int64_t unix_ms);

}  // namespace apflow::plugins::storage
