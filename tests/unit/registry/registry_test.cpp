#include "registry/registry.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>

#include "core/error.h"

namespace apflow::registry {
namespace {

ModuleRecord record(std::string id, std::vector<std::string> tags = {}, std::string owner = "p") {
  ModuleRecord r;
  r.id = std::move(id);
  r.description = "Does " + r.id + ".";
  r.tags = std::move(tags);
  r.owner = std::move(owner);
  return r;
}

ModuleRecord executor(std::string executor_id, std::string owner = "p") {
  ModuleRecord r = record("apflow." + executor_id, {}, std::move(owner));
  r.kind = ModuleKind::kExecutor;
  r.executor_id = std::move(executor_id);
  return r;
}

std::vector<std::string> ids(const std::vector<ModulePtr>& modules) {
  std::vector<std::string> out;
  for (const auto& m : modules) out.push_back(m->id);
  return out;
}

TEST(Registry, AddFindAndListSorted) {
  Registry registry;
  registry.add(record("b.two"));
  registry.add(record("a.one"));
  registry.add(record("b.three"));
  EXPECT_EQ(registry.size(), 3u);
  ASSERT_NE(registry.find("a.one"), nullptr);
  EXPECT_EQ(registry.find("a.one")->description, "Does a.one.");
  EXPECT_EQ(registry.find("c"), nullptr);
  EXPECT_EQ(ids(registry.list()), (std::vector<std::string>{"a.one", "b.three", "b.two"}));
}

TEST(Registry, ListsByPrefixAndByAllTags) {
  Registry registry;
  registry.add(record("apflow.task.create", {"task", "write"}));
  registry.add(record("apflow.task.get", {"task", "read"}));
  registry.add(record("apflow.tasks_other", {"task"}));
  registry.add(record("other.thing", {"read"}));
  EXPECT_EQ(ids(registry.list("apflow.task.")),
            (std::vector<std::string>{"apflow.task.create", "apflow.task.get"}));
  EXPECT_EQ(ids(registry.list("", {"read"})),
            (std::vector<std::string>{"apflow.task.get", "other.thing"}));
  EXPECT_EQ(ids(registry.list("", {"task", "read"})),
            (std::vector<std::string>{"apflow.task.get"}));
  EXPECT_TRUE(registry.list("zzz").empty());
}

TEST(Registry, RefusesDuplicatesNamingTheOwner) {
  Registry registry;
  registry.add(record("a.one", {}, "first"));
  try {
    registry.add(record("a.one", {}, "second"));
    FAIL() << "duplicate accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "DUPLICATE_MODULE_ID");
    EXPECT_NE(std::string(e.what()).find("'first'"), std::string::npos);
  }
}

TEST(Registry, RefusesInvalidIdsAndMissingDescriptions) {
  Registry registry;
  EXPECT_THROW(registry.add(record("Bad.Id")), Error);
  EXPECT_THROW(registry.add(record("system.x")), Error);
  EXPECT_NO_THROW(registry.add(record("system.x"), /*internal=*/true));
  ModuleRecord silent = record("a.silent");
  silent.description.clear();
  EXPECT_THROW(registry.add(silent), Error);
}

TEST(Registry, IndexesExecutorsByExecutorId) {
  Registry registry;
  registry.add(executor("rest_executor"));
  ASSERT_NE(registry.find_executor("rest_executor"), nullptr);
  EXPECT_EQ(registry.find_executor("rest_executor")->id, "apflow.rest_executor");
  EXPECT_EQ(registry.executor_ids(), std::vector<std::string>{"rest_executor"});
}

TEST(Registry, RemoveOwnerDropsOnlyThatOwnersModules) {
  Registry registry;
  registry.add(record("a.keep", {}, "stay"));
  registry.add(record("a.drop", {}, "gone"));
  registry.add(executor("gone_executor", "gone"));
  registry.remove_owner("gone");
  EXPECT_EQ(ids(registry.list()), std::vector<std::string>{"a.keep"});
  EXPECT_EQ(registry.find_executor("gone_executor"), nullptr);
}

TEST(Registry, DescriptorsAreApcoreWireForm) {
  Registry registry;
  ModuleRecord r = record("apflow.task.get", {"task"});
  r.input_schema = schema::Schema::compile(R"({"type":"object","required":["task_id"]})");
  r.annotations.readonly = true;
  registry.add(std::move(r));
  rapidjson::Document doc;
  doc.Parse(registry.descriptors_json().c_str());
  ASSERT_TRUE(doc.IsArray());
  const auto& d = doc[0];
  EXPECT_STREQ(d["module_id"].GetString(), "apflow.task.get");
  EXPECT_STREQ(d["input_schema"]["required"][0].GetString(), "task_id");
  EXPECT_TRUE(d["annotations"]["readonly"].GetBool());
  EXPECT_FALSE(d["annotations"]["destructive"].GetBool());
  EXPECT_TRUE(d["annotations"]["open_world"].GetBool());
  EXPECT_STREQ(d["version"].GetString(), "1.0.0");
  EXPECT_STREQ(d["tags"][0].GetString(), "task");
  EXPECT_TRUE(d["name"].IsNull());
  EXPECT_STREQ(d["metadata"]["kind"].GetString(), "module");
}

TEST(Registry, ConcurrentLookupsDuringRegistration) {
  Registry registry;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) (void)registry.list("m.");
  });
  for (int i = 0; i < 500; ++i) registry.add(record("m.x" + std::to_string(i)));
  stop = true;
  reader.join();
  EXPECT_EQ(registry.list("m.").size(), 500u);
}

TEST(Annotations, ReadsKnownKeysAndRefusesOthers) {
  auto a = Annotations::from_json(R"({"destructive":true,"open_world":false})");
  EXPECT_TRUE(a.destructive);
  EXPECT_FALSE(a.open_world);
  EXPECT_FALSE(a.readonly);
  EXPECT_THROW(Annotations::from_json(R"({"readOnly":true})"), Error);
  EXPECT_THROW(Annotations::from_json(R"({"readonly":"yes"})"), Error);
  EXPECT_THROW(Annotations::from_json("[]"), Error);
}

TEST(Annotations, ExtraKeepsNamespacedKeysAndReadsApflowInline) {
  auto a = Annotations::from_json(R"({"extra":{"mcp.category":"files","apflow.inline":true}})");
  EXPECT_TRUE(a.runs_inline);
  EXPECT_NE(a.to_json().find(R"("extra":{"mcp.category":"files","apflow.inline":true})"),
            std::string::npos)
      << a.to_json();
  EXPECT_FALSE(Annotations::from_json("{}").runs_inline);
  EXPECT_EQ(Annotations::from_json("{}").to_json().find("extra"), std::string::npos);
  auto message = [](const char* json) {
    try {
      Annotations::from_json(json);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(
      message(R"({"extra":{"inline":true}})").find("needs a namespace, such as 'apflow.inline'"),
      std::string::npos);
  EXPECT_NE(message(R"({"extra":{"apflow.inline":"yes"}})").find("must be true or false"),
            std::string::npos);
  EXPECT_NE(message(R"({"extra":[]})").find("must be an object"), std::string::npos);
}

}  // namespace
}  // namespace apflow::registry
