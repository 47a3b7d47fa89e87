// The answers of the explorer's JSON API: JSON that no cache keeps, errors as
// {"error": "<what was wrong>", ...}, and failed module calls with their apcore error.
#pragma once

#include <apflow/sdk/invocation.h>
#include <apflow/sdk/json.h>

#include <string>
#include <string_view>

#include "common/http_types.h"

namespace apflow::plugins::explorer {

protocols::HttpResponse api_json(protocols::http::status status, std::string body);
protocols::HttpResponse api_error(protocols::http::status status, std::string_view message);

// A failed read as an HTTP error: 404 for the *_NOT_FOUND codes, 422 for bad input, 500
// otherwise; the body is {"error": message, "code", "details"?}.
protocols::HttpResponse failed_read(const sdk::CallResult& result);

}  // namespace apflow::plugins::explorer
