// `apflow info`: what this apflow is made of — version, config, plugin directories, plugins with
// their status, and every module — as text for people or JSON (--json) for machines.
#pragma once

#include <ostream>

#include "app/runtime.h"

namespace apflow::app {

void print_info_text(Runtime& runtime, std::ostream& out);
void print_info_json(Runtime& runtime, std::ostream& out);

}  // namespace apflow::app
