// The apflow.task.* modules: thin adapters from module calls onto the engine (reference §8,
// with its [BUG]s fixed and the [REC] annotations). Registered by the host itself.
// May include registry/ and engine/; nothing includes it but the composition root.
#pragma once

#include "engine/engine.h"
#include "registry/registry.h"

namespace apflow::modules {

// Registers every apflow.task.* module, bound to `engine` (which must outlive the registry's
// use of them).
void register_task_modules(registry::Registry& registry, engine::Engine& engine);

}  // namespace apflow::modules
