// The apcore error of a failed module call (sdk::CallResult) as the JSON object front-ends
// show it: {"code", "message", "details"?}, so that a validation error keeps its code and
// details instead of being flattened to a sentence.
#pragma once

#include <apflow/sdk/invocation.h>
#include <apflow/sdk/json.h>

namespace apflow::plugins::protocols {

// details is included only when it is a JSON text.
sdk::Json call_error(const sdk::CallResult& result);

}  // namespace apflow::plugins::protocols
