// `apflow run FILE`: reading a task-tree file (YAML or JSON) into the input of
// apflow.task.create_tree.
#pragma once

#include <apflow/sdk/json.h>

#include <string>
#include <string_view>

namespace apflow::plugins::cli {

enum class FileSyntax { kJson, kYaml };

// The syntax a file's extension names (.json, .yaml, .yml, in any case). Throws
// sdk::Error(GENERAL_INVALID_INPUT) for any other extension.
FileSyntax syntax_of(std::string_view path);

// `{"tasks": [...]}` from a document holding either an array of tasks or an object with a
// "tasks" array. `label` names the source in messages. Throws sdk::Error(GENERAL_INVALID_INPUT)
// saying where the text is wrong.
sdk::Json parse_task_text(std::string_view text, FileSyntax syntax, std::string_view label);

// Reads and parses the file at `path`.
sdk::Json load_task_file(const std::string& path);

}  // namespace apflow::plugins::cli
