#include "explorer/tree_api.h"

#include <algorithm>
#include <map>

#include "explorer/api_reply.h"
#include "explorer/explorer_routes.h"

namespace apflow::plugins::explorer {
namespace {

namespace http = protocols::http;

constexpr int64_t kMaxListed = 1000;  // apflow.task.list's own maximum

bool is_root(const rapidjson::Value& task) {
  const auto parent = task.FindMember("parent_id");
  return parent == task.MemberEnd() || parent->value.IsNull() ||
         (parent->value.IsString() && parent->value.GetStringLength() == 0);
}

int64_t limit_of(const protocols::HttpRequest& request) {
  const std::string text = query_param({request.target().data(), request.target().size()}, "limit");
  try {
    return text.empty() ? kMaxListed : std::clamp<int64_t>(std::stoll(text), 1, kMaxListed);
  } catch (const std::exception&) {
    return kMaxListed;  // a garbled limit is not worth refusing the list over
  }
}

}  // namespace

std::string TreeApi::roots_of(std::string_view list_output) {
  sdk::Json listed;
  listed.Parse(list_output.data(), list_output.size());
  sdk::Json out = sdk::make_object();
  auto& alloc = out.GetAllocator();
  rapidjson::Value trees(rapidjson::kArrayType);
  if (!listed.HasParseError() && listed.IsObject() && listed.HasMember("tasks") &&
      listed["tasks"].IsArray()) {
    std::map<std::string, int64_t> sizes;  // tree id -> tasks seen
    for (const auto& task : listed["tasks"].GetArray()) {
      ++sizes[sdk::get_string(task, "task_tree_id", sdk::get_string(task, "id"))];
    }
    for (const auto& task : listed["tasks"].GetArray()) {
      if (!task.IsObject() || !is_root(task)) continue;
      rapidjson::Value root(task, alloc);
      const std::string tree = sdk::get_string(task, "task_tree_id", sdk::get_string(task, "id"));
      root.AddMember("tasks", sizes[tree], alloc);
      trees.PushBack(root, alloc);
    }
  }
  out.AddMember("trees", trees, alloc);
  out.AddMember("total", sdk::get_int(listed, "total"), alloc);
  return sdk::to_json(out);
}

void TreeApi::list(const std::shared_ptr<protocols::HttpExchange>& exchange) const {
  const std::string input = R"({"limit":)" + std::to_string(limit_of(exchange->request())) + "}";
  calls_.start("apflow.task.list", input, [exchange](sdk::CallResult result) {
    if (!result.ok()) return exchange->respond(failed_read(result));
    exchange->respond(api_json(http::status::ok, roots_of(result.output)));
  });
}

void TreeApi::get(const std::shared_ptr<protocols::HttpExchange>& exchange,
                  const std::string& task_id) const {
  sdk::Json input = sdk::make_object();
  sdk::set(input, "task_id", task_id);
  calls_.start("apflow.task.tree", sdk::to_json(input), [exchange](sdk::CallResult result) {
    if (!result.ok()) return exchange->respond(failed_read(result));
    exchange->respond(api_json(http::status::ok, std::move(result.output)));
  });
}

}  // namespace apflow::plugins::explorer
