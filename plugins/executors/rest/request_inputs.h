// One rest_executor call as the HTTP client needs it, built from the call's inputs: method, URL
// with query, headers, body, auth, timeouts and redirect policy.
#pragma once

#include <apflow/sdk/json.h>

#include "common/http_request.h"
#include "rest_settings.h"

namespace apflow::plugins::rest {

using common::Headers;
using common::HttpRequest;
using common::is_redirect;
using common::redirected;

// Throws sdk::Error(GENERAL_INVALID_INPUT) naming the field and what to write instead.
HttpRequest build_request(const rapidjson::Value& inputs, const RestSettings& settings);

}  // namespace apflow::plugins::rest
