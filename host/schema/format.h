// The "format" keyword, which RapidJSON 1.1.0 does not check: a few common formats; unknown
// formats accept everything, as draft-04 asks. Internal to host/schema.
#pragma once

#include <string>
#include <string_view>

namespace apflow::schema::detail {

bool format_matches(std::string_view format, std::string_view text);
// What a valid value looks like, for the message: "an RFC 3339 date-time such as ...".
std::string format_example(std::string_view format);

}  // namespace apflow::schema::detail
