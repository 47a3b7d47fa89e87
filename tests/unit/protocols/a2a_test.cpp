// The pure pieces of the A2A plugin: a message read into a module call, the agent card built
// from module descriptors, and tasks rendered in the 1.0 and 0.3 shapes.
#include <gtest/gtest.h>

#include <cstdio>

#include "a2a/a2a_errors.h"
#include "a2a/a2a_wire.h"
#include "a2a/agent_card.h"
#include "a2a/send_request.h"
#include "common/jsonrpc_dispatch.h"

namespace apflow::plugins::a2a {
namespace {

using protocols::jsonrpc::RpcError;

const std::set<std::string> kSkills = {"apflow.task.create_tree", "testkit.echo"};

SendRequest read(std::string_view params) {
  return read_send_request(sdk::parse_json(params), kSkills);
}

// The error code and message read_send_request refuses the params with.
std::pair<int, std::string> refusal(std::string_view params) {
  try {
    read(params);
  } catch (const RpcError& e) {
    return {e.code(), e.what()};
  }
  return {0, "accepted"};
}

TEST(SendRequest, ADataPartIsTheInputAndTheSkillIdTheModule) {
  const SendRequest v1 = read(R"({"message":{"messageId":"m1","role":"ROLE_USER",
      "parts":[{"data":{"tasks":[{"name":"a"}]},"mediaType":"application/json"}]},
      "metadata":{"skillId":"apflow.task.create_tree"}})");
  EXPECT_EQ(v1.module_id, "apflow.task.create_tree");
  EXPECT_EQ(v1.input_json, R"({"tasks":[{"name":"a"}]})");
  EXPECT_EQ(v1.message_id, "m1");
  EXPECT_FALSE(v1.return_immediately);
  // 0.3: kind-tagged parts, the skill in the message's metadata, blocking:false.
  const SendRequest v03 = read(R"({"message":{"kind":"message","messageId":"m2","role":"user",
      "parts":[{"kind":"data","data":{"x":1}}],"metadata":{"skillId":"testkit.echo"}},
      "configuration":{"blocking":false}})");
  EXPECT_EQ(v03.module_id, "testkit.echo");
  EXPECT_EQ(v03.input_json, R"({"x":1})");
  EXPECT_TRUE(v03.return_immediately);
}

TEST(SendRequest, TextPartsAreReadAsJsonWhenTheyAreJson) {
  const char* tmpl = R"({"message":{"messageId":"m","parts":[{"text":%s}]},
      "metadata":{"skillId":"testkit.echo","returnImmediately":false}})";
  char params[256];
  std::snprintf(params, sizeof params, tmpl, R"("{\"x\":2}")");
  EXPECT_EQ(read(params).input_json, R"({"x":2})");
  std::snprintf(params, sizeof params, tmpl, R"("hello there")");
  EXPECT_EQ(read(params).input_json, R"("hello there")");
}

TEST(SendRequest, BadRequestsAreRefusedWithTheReason) {
  EXPECT_EQ(refusal("{}").first, protocols::jsonrpc::kInvalidParams);
  EXPECT_NE(refusal(R"({"message":{"parts":[]},"metadata":{"skillId":"testkit.echo"}})")
                .second.find("exactly one part"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"message":{"parts":[{"data":{}}]}})").second.find("metadata.skillId"),
            std::string::npos);
  EXPECT_EQ(
      refusal(R"({"message":{"parts":[{"data":{}}]},"metadata":{"skillId":"no.such"}})").second,
      "Invalid params: Skill not found: no.such");
  EXPECT_NE(refusal(R"({"message":{"parts":[{"url":"http://x/f"}]},
                      "metadata":{"skillId":"testkit.echo"}})")
                .second.find("file, raw and url"),
            std::string::npos);
  // Regression: a text part is read as JSON; nested too deep it must be refused, not parsed.
  const std::string deep = R"({"message":{"parts":[{"text":")" + std::string(100000, '[') +
                           R"("}]},"metadata":{"skillId":"testkit.echo"}})";
  EXPECT_NE(refusal(deep).second.find("nests deeper than 128 levels"), std::string::npos);
  EXPECT_EQ(refusal(R"({"message":{"taskId":"t1","parts":[{"data":{}}]},
                      "metadata":{"skillId":"testkit.echo"}})")
                .first,
            kUnsupportedOperation);
}

TEST(AgentCard, OneSkillPerDescribedModuleWithModesFromTheSchemas) {
  const sdk::Json modules = sdk::parse_json(R"([
    {"module_id":"apflow.task.create_tree","name":null,"description":"Create a tree.",
     "tags":["task"],"examples":[{"title":"Two tasks","inputs":{}}],
     "input_schema":{"type":"object"},"output_schema":{"type":"object","properties":{}}},
    {"module_id":"x.say","description":"Says.","input_schema":{"type":"string"},
     "output_schema":{}},
    {"module_id":"x.silent","description":""}])");
  const sdk::Json card =
      sdk::parse_json(agent_card(modules, CardSettings{"http://127.0.0.1:9/", "1.2.3", true}));
  EXPECT_STREQ(card["supportedInterfaces"][0]["url"].GetString(), "http://127.0.0.1:9/");
  EXPECT_STREQ(card["supportedInterfaces"][0]["protocolVersion"].GetString(), "1.0");
  EXPECT_TRUE(card["capabilities"]["streaming"].GetBool());
  EXPECT_TRUE(card.HasMember("securitySchemes"));
  ASSERT_EQ(card["skills"].Size(), 2u);
  EXPECT_EQ(sdk::to_json(card["skills"][0]),
            R"({"id":"apflow.task.create_tree","name":"Apflow Task Create Tree",)"
            R"("description":"Create a tree.","tags":["task"],"examples":["Two tasks"],)"
            R"("inputModes":["application/json"],"outputModes":["application/json"]})");
  EXPECT_EQ(sdk::to_json(card["skills"][1]["tags"]), R"(["x"])");
  EXPECT_EQ(sdk::to_json(card["skills"][1]["inputModes"]), R"(["application/json","text/plain"])");
  EXPECT_EQ(sdk::to_json(card["skills"][1]["outputModes"]), R"(["text/plain"])");

  const sdk::Json legacy = sdk::parse_json(
      legacy_agent_card(modules, CardSettings{"http://127.0.0.1:9/", "1.2.3", false}));
  EXPECT_STREQ(legacy["protocolVersion"].GetString(), "0.3.0");
  EXPECT_STREQ(legacy["url"].GetString(), "http://127.0.0.1:9/");
  EXPECT_FALSE(legacy.HasMember("securitySchemes"));
}

TaskSnapshot finished_task() {
  TaskSnapshot task;
  task.id = "t1";
  task.context_id = "c1";
  task.state = TaskState::kCompleted;
  task.timestamp = "2026-01-01T10:00:00.000Z";
  task.skill_id = "testkit.echo";
  task.message_id = "m1";
  task.input_json = R"({"x":1})";
  task.has_output = true;
  task.output_json = R"({"y":2})";
  return task;
}

TEST(Wire, TasksAndEventsInBothVersions) {
  const TaskSnapshot task = finished_task();
  const sdk::Json v1 = sdk::parse_json(render_send_result(task, Dialect::kV1));
  EXPECT_STREQ(v1["task"]["status"]["state"].GetString(), "TASK_STATE_COMPLETED");
  EXPECT_EQ(sdk::to_json(v1["task"]["artifacts"][0]["parts"]),
            R"([{"data":{"y":2},"mediaType":"application/json"}])");
  EXPECT_STREQ(v1["task"]["history"][0]["role"].GetString(), "ROLE_USER");
  const sdk::Json v03 = sdk::parse_json(render_send_result(task, Dialect::kV03));
  EXPECT_STREQ(v03["kind"].GetString(), "task");
  EXPECT_STREQ(v03["status"]["state"].GetString(), "completed");
  EXPECT_EQ(sdk::to_json(v03["artifacts"][0]["parts"]), R"([{"kind":"data","data":{"y":2}}])");
  const sdk::Json update = sdk::parse_json(render_status_update(task, Dialect::kV03));
  EXPECT_STREQ(update["kind"].GetString(), "status-update");
  EXPECT_TRUE(update["final"].GetBool());
  const sdk::Json artifact = sdk::parse_json(render_artifact_update(task, Dialect::kV1));
  EXPECT_STREQ(artifact["artifactUpdate"]["artifact"]["artifactId"].GetString(), "art-t1");
  EXPECT_TRUE(artifact["artifactUpdate"]["lastChunk"].GetBool());
}

TEST(Wire, OutputsBecomeDataOrTextParts) {
  EXPECT_EQ(output_parts(R"("hi")", Dialect::kV1), R"([{"text":"hi"}])");
  EXPECT_EQ(output_parts("[1,2]", Dialect::kV1), R"([{"text":"[1,2]"}])");
  EXPECT_EQ(output_parts("null", Dialect::kV1), "[]");
  EXPECT_EQ(output_parts("3", Dialect::kV03), R"([{"kind":"text","text":"3"}])");
}

TEST(Wire, AFailedTaskCarriesTheErrorTextAndObject) {
  TaskSnapshot task = finished_task();
  task.state = TaskState::kFailed;
  task.has_output = false;
  task.status_text = "tasks: must be an array";
  task.status_data = R"({"code":"SCHEMA_VALIDATION_ERROR"})";
  const sdk::Json v1 = sdk::parse_json(render_task(task, Dialect::kV1));
  const auto& message = v1["status"]["message"];
  EXPECT_STREQ(message["role"].GetString(), "ROLE_AGENT");
  EXPECT_STREQ(message["parts"][0]["text"].GetString(), "tasks: must be an array");
  EXPECT_STREQ(message["parts"][1]["data"]["code"].GetString(), "SCHEMA_VALIDATION_ERROR");
  EXPECT_EQ(v1["artifacts"].Size(), 0u);
}

}  // namespace
}  // namespace apflow::plugins::a2a
