#include <set>

#include "schema/json_util.h"
#include "schema/keywords.h"

namespace apflow::schema::detail {
namespace {

struct Branches {
  std::vector<std::optional<Violation>> results;  // nullopt: the branch accepts the value
  std::vector<std::size_t> type_candidates;       // branches whose type admits the value
  std::set<std::string> types;                    // every type the branches name
  std::size_t passing = 0;
};

Branches try_branches(const Context& context, const rapidjson::Value& list,
                      const rapidjson::Value& value, const std::string& pointer) {
  Branches branches;
  for (const auto& branch : list.GetArray()) {
    const auto& schema = deref(context, branch);
    const auto* type = member(schema, "type");
    if (type == nullptr || type_matches(*type, value)) {
      branches.type_candidates.push_back(branches.results.size());
    }
    if (type != nullptr && type->IsString()) branches.types.insert(type->GetString());
    if (type != nullptr && type->IsArray()) {
      for (const auto& name : type->GetArray()) branches.types.insert(name.GetString());
    }
    branches.results.push_back(check_value(context, schema, value, pointer, CheckMode::kAll));
    if (!branches.results.back()) ++branches.passing;
  }
  return branches;
}

// Why no branch matched: the wrong type for all of them, the one branch of the right type,
// or a plain "none of N".
Violation none_matched(const Branches& branches, const char* keyword, const rapidjson::Value& value,
                       const std::string& pointer) {
  if (branches.type_candidates.empty() && !branches.types.empty()) {
    std::vector<std::string> names(branches.types.begin(), branches.types.end());
    std::string last = names.back();
    names.pop_back();
    std::string expected = names.empty() ? last : join(names) + " or " + last;
    return Violation{pointer, keyword, "expected " + expected + ", got " + describe_actual(value)};
  }
  if (branches.type_candidates.size() == 1) {
    return *branches.results[branches.type_candidates.front()];
  }
  return Violation{pointer, keyword,
                   "does not match any of the " + std::to_string(branches.results.size()) +
                       " allowed forms (" + keyword + ")"};
}

}  // namespace

std::optional<Violation> check_all_of(const Context& context, const rapidjson::Value& schema,
                                      const rapidjson::Value& value, const std::string& pointer) {
  const auto* list = member(schema, "allOf");
  if (list == nullptr || !list->IsArray()) return std::nullopt;
  for (const auto& branch : list->GetArray()) {
    if (auto violation = check_value(context, branch, value, pointer, CheckMode::kAll)) {
      return violation;
    }
  }
  return std::nullopt;
}

std::optional<Violation> check_any_of(const Context& context, const rapidjson::Value& schema,
                                      const rapidjson::Value& value, const std::string& pointer) {
  const auto* list = member(schema, "anyOf");
  if (list == nullptr || !list->IsArray()) return std::nullopt;
  auto branches = try_branches(context, *list, value, pointer);
  if (branches.passing > 0) return std::nullopt;
  return none_matched(branches, "anyOf", value, pointer);
}

std::optional<Violation> check_one_of(const Context& context, const rapidjson::Value& schema,
                                      const rapidjson::Value& value, const std::string& pointer) {
  const auto* list = member(schema, "oneOf");
  if (list == nullptr || !list->IsArray()) return std::nullopt;
  auto branches = try_branches(context, *list, value, pointer);
  if (branches.passing == 1) return std::nullopt;
  if (branches.passing == 0) return none_matched(branches, "oneOf", value, pointer);
  std::vector<std::string> matching;
  for (std::size_t i = 0; i < branches.results.size(); ++i) {
    if (!branches.results[i]) matching.push_back(std::to_string(i));
  }
  return Violation{pointer, "oneOf",
                   "matches " + std::to_string(branches.passing) + " of the schemas in oneOf (" +
                       join(matching) + ") but must match exactly one"};
}

std::optional<Violation> check_not(const Context& context, const rapidjson::Value& schema,
                                   const rapidjson::Value& value, const std::string& pointer) {
  const auto* negated = member(schema, "not");
  if (negated == nullptr) return std::nullopt;
  if (check_value(context, *negated, value, pointer, CheckMode::kAll)) return std::nullopt;
  return Violation{pointer, "not",
                   "must not match " + render(*negated) + ", got " + describe_actual(value)};
}

}  // namespace apflow::schema::detail
