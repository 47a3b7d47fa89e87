// Creation checks of reference §2.1, with apflow's messages, and the checks apflow lacked.
#include "engine/tree_plan.h"

#include <gtest/gtest.h>

#include <map>

#include "core/error.h"

namespace apflow::engine {
namespace {

std::string plan_error(const std::string& tasks_json, TreeOptions options = {}) {
  rapidjson::Document tasks;
  tasks.Parse(tasks_json.c_str());
  try {
    plan_tree(tasks, options, "2026-01-01T00:00:00.000Z");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "GENERAL_INVALID_INPUT");
    return e.what();
  }
  return "";
}

TreePlan plan(const std::string& tasks_json, TreeOptions options = {}) {
  rapidjson::Document tasks;
  tasks.Parse(tasks_json.c_str());
  return plan_tree(tasks, options, "2026-01-01T00:00:00.000Z");
}

TEST(TreePlan, ReferenceMessages) {
  EXPECT_EQ(plan_error("[]"), "Tasks array cannot be empty");
  EXPECT_EQ(plan_error(R"([{"name":"a","parent_id":"b"},{"name":"b","parent_id":"a"}])"),
            "No root task found (task with no parent_id). At least one task in the array must "
            "have parent_id=None or no parent_id field.");
  EXPECT_EQ(plan_error(R"([{"name":"a"},{"id":"x"}])"), "Task at index 1 must have a 'name' field");
  EXPECT_EQ(plan_error(R"([{"name":"a"},{"name":"a"}])"), "Duplicate task name 'a' at index 1");
  EXPECT_EQ(plan_error(R"([{"name":"a","id":"1"},{"name":"b","id":"1"}])"),
            "Duplicate task id '1' at index 1");
  EXPECT_EQ(plan_error(R"([{"name":"a"},{"name":"b","parent_id":"zz"}])"),
            "Task at index 1 has parent_id 'zz' which is not in the task array.");
  EXPECT_EQ(plan_error(R"([{"name":"a","dependencies":["zz"]}])"),
            "Task at index 0 has dependency reference 'zz' which is not a valid id or name in the "
            "task array.");
  EXPECT_EQ(plan_error(R"([{"name":"a","task_tree_id":"t"},{"name":"b","task_tree_id":"t"}])"),
            "Different root tasks cannot share the same task_tree_id");
  EXPECT_EQ(plan_error(R"([{"name":"a","id":"a","dependencies":["b"]},)"
                       R"({"name":"b","id":"b","dependencies":["a"]}])"),
            "Circular dependency detected involving task 'a'. Tasks cannot have circular "
            "dependencies as this would cause infinite loops.");
  EXPECT_NE(plan_error(R"([{"name":"a","id":"a","dependencies":["a"]}])").find("Circular"),
            std::string::npos);
}

TEST(TreePlan, ParentCyclesAreRefused) {
  const auto message = plan_error(R"([{"name":"root"},{"name":"x","id":"x","parent_id":"y"},)"
                                  R"({"name":"y","id":"y","parent_id":"x"}])");
  EXPECT_NE(message.find("parent_id cycle"), std::string::npos) << message;
}

TEST(TreePlan, ADependencyOnAnAncestorCouldNeverRun) {
  const std::string tasks = R"([{"name":"p","id":"p"},{"name":"c","parent_id":"p",)"
                            R"("dependencies":["p"]}])";
  EXPECT_NE(plan_error(tasks).find("could never run"), std::string::npos);
  TreeOptions free;
  free.parent_after_children = false;
  EXPECT_EQ(plan_error(tasks, free), "");
}

TEST(TreePlan, TypesAndUnknownFieldsAreChecked) {
  EXPECT_NE(plan_error(R"([{"name":"a","priority":7}])").find("priority 7"), std::string::npos);
  EXPECT_NE(plan_error(R"([{"name":"a","inputs":[]}])").find("'inputs' must be an object"),
            std::string::npos);
  EXPECT_EQ(plan_error(R"([{"name":"a","colour":"red"}])"),
            "Task at index 0 has unknown field 'colour'");
  TreeOptions bad;
  bad.failure_policy = "explode";
  EXPECT_NE(plan_error(R"([{"name":"a"}])", bad).find("failure_policy"), std::string::npos);
}

TEST(TreePlan, NamesResolveToIdsAndTreesGetTheirRootsId) {
  auto p =
      plan(R"([{"name":"root","id":"r"},{"name":"kid","parent_id":"root",)"
           R"("dependencies":[{"name":"other","required":false}]},{"name":"other","id":"o"}])");
  EXPECT_EQ(p.root_ids, (std::vector<std::string>{"r", "o"}));
  const auto& kid = p.rows[1];
  EXPECT_STREQ(kid["parent_id"].GetString(), "r");
  EXPECT_STREQ(kid["task_tree_id"].GetString(), "r");
  EXPECT_STREQ(kid["dependencies"][0]["id"].GetString(), "o");
  EXPECT_FALSE(kid["dependencies"][0]["required"].GetBool());
  EXPECT_TRUE(p.rows[0]["has_children"].GetBool());
  EXPECT_EQ(p.rows[0]["priority"].GetInt(), 2);
  // Edges: kid waits for o (optional) and the root waits for kid (child).
  ASSERT_EQ(p.edges.Size(), 2u);
  std::map<std::string, std::pair<std::string, std::string>> by_kind;
  for (const auto& e : p.edges.GetArray()) {
    by_kind[e["kind"].GetString()] = {e["task_id"].GetString(), e["depends_on"].GetString()};
  }
  const std::string kid_id = kid["id"].GetString();
  EXPECT_EQ(by_kind["optional"], std::make_pair(kid_id, std::string("o")));
  EXPECT_EQ(by_kind["child"], std::make_pair(std::string("r"), kid_id));
}

TEST(TreePlan, GeneratedIdsAreUuids) {
  auto p = plan(R"([{"name":"a"}])");
  const std::string id = p.rows[0]["id"].GetString();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
}

}  // namespace
}  // namespace apflow::engine
