// Random task ids (UUID version 4 text), as apflow uses when a task comes without an id.
#pragma once

#include <string>

namespace apflow::engine {

std::string new_task_id();

}  // namespace apflow::engine
