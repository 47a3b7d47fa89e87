// The apflow plugin SDK: include this one header to write a plugin.
// See docs/plugin-guide.md and sdk/examples/hello_executor/.
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/call.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/executor.h>
#include <apflow/sdk/host.h>
#include <apflow/sdk/json.h>
#include <apflow/sdk/plugin.h>
#include <apflow/sdk/protocol.h>
#include <apflow/sdk/storage.h>
