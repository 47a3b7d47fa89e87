// `apflow docs modules`: the module reference (docs/modules.md) generated from the registry, so
// the documentation says exactly what the running apflow offers.
#pragma once

#include <ostream>

#include "registry/registry.h"

namespace apflow::app {

void print_module_reference(const registry::Registry& registry, std::ostream& out);

}  // namespace apflow::app
