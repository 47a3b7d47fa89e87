#include "cli/run_results.h"

#include <algorithm>
#include <map>

#include "cli/output_format.h"

namespace apflow::plugins::cli {
namespace {

constexpr size_t kMaxResultWidth = 200;
constexpr int kMaxDepth = 1000;

struct Row {
  int depth;
  const rapidjson::Value* task;
};

// Every task row of a tree listing, parents before their children.
void collect(const rapidjson::Value& node, int depth, std::vector<Row>& rows) {
  if (!node.IsObject() || depth > kMaxDepth) return;
  const auto task = node.FindMember("task");
  if (task != node.MemberEnd() && task->value.IsObject()) rows.push_back({depth, &task->value});
  const auto children = node.FindMember("children");
  if (children == node.MemberEnd() || !children->value.IsArray()) return;
  for (const auto& child : children->value.GetArray()) collect(child, depth + 1, rows);
}

std::vector<Row> rows_of(const std::vector<sdk::Json>& trees) {
  std::vector<Row> rows;
  for (const auto& tree : trees) collect(tree, 0, rows);
  return rows;
}

// The error (text or an object with a message) or the result, shortened for one line.
std::string outcome_text(const rapidjson::Value& task) {
  std::string text;
  const auto error = task.FindMember("error");
  if (error != task.MemberEnd() && !error->value.IsNull()) {
    const std::string message = sdk::get_string(error->value, "message");
    text = "error: " + (message.empty() ? plain_text(error->value) : message);
  } else if (const auto result = task.FindMember("result");
             result != task.MemberEnd() && !result->value.IsNull()) {
    text = sdk::to_json(result->value);
  }
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > kMaxResultWidth) text = text.substr(0, kMaxResultWidth) + "...";
  return text;
}

std::string padded(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

bool all_completed(const std::vector<sdk::Json>& trees) {
  const auto rows = rows_of(trees);
  return !rows.empty() && std::all_of(rows.begin(), rows.end(), [](const Row& row) {
    return sdk::get_string(*row.task, "status") == "completed";
  });
}

std::string status_summary(const std::vector<sdk::Json>& trees) {
  std::map<std::string, int> counts;
  for (const auto& row : rows_of(trees)) ++counts[sdk::get_string(*row.task, "status", "?")];
  std::string out;
  for (const auto& [status, count] : counts) {
    out += (out.empty() ? "" : ", ") + std::to_string(count) + " " + status;
  }
  return out.empty() ? "no tasks" : out;
}

std::string results_table(const std::vector<sdk::Json>& trees) {
  const auto rows = rows_of(trees);
  size_t name_width = 4, status_width = 6;  // "TASK", "STATUS"
  std::vector<std::string> names;
  for (const auto& row : rows) {
    names.push_back(std::string(2 * static_cast<size_t>(row.depth), ' ') +
                    sdk::get_string(*row.task, "name", sdk::get_string(*row.task, "id")));
    name_width = std::max(name_width, names.back().size());
    status_width = std::max(status_width, sdk::get_string(*row.task, "status").size());
  }
  std::string out =
      padded("TASK", name_width + 2) + padded("STATUS", status_width + 2) + "RESULT\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string line = padded(names[i], name_width + 2) +
                       padded(sdk::get_string(*rows[i].task, "status"), status_width + 2) +
                       outcome_text(*rows[i].task);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out + status_summary(trees) + "\n";
}

std::string results_json(const std::vector<sdk::Json>& trees) {
  sdk::Json doc = sdk::make_object();
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& tree : trees)
    list.PushBack(rapidjson::Value(tree, doc.GetAllocator()), doc.GetAllocator());
  doc.AddMember("trees", list, doc.GetAllocator());
  return pretty_json(doc);
}

}  // namespace apflow::plugins::cli
