#include "api_inputs.h"

#include <apflow/sdk/error.h>
#include <gtest/gtest.h>

namespace apflow::plugins::apflow_api {
namespace {

ApiJob read(const char* json, const ApiSettings& settings = {}) {
  return read_job(sdk::parse_json(json), settings);
}

std::string refusal(const char* json) {
  try {
    read(json);
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.code(), "GENERAL_INVALID_INPUT");
    return e.what();
  }
  return "<accepted>";
}

TEST(ApiInputs, TasksBecomeACreateTreeInputWithTheTreeOptions) {
  auto job = read(R"({"base_url":"http://h:8000/","tasks":[{"name":"a"}],
                      "failure_policy":"skip","other":1})");
  EXPECT_TRUE(job.tree);
  EXPECT_EQ(job.endpoint.port, 8000);
  EXPECT_EQ(sdk::to_json(job.tree_input), R"({"tasks":[{"name":"a"}],"failure_policy":"skip"})");
}

TEST(ApiInputs, AModuleTakesItsInputOrAnEmptyObject) {
  auto job = read(R"({"base_url":"http://h/","module":"apflow.task.get",
                      "module_input":{"task_id":"x"}})");
  EXPECT_FALSE(job.tree);
  EXPECT_EQ(job.module, "apflow.task.get");
  EXPECT_EQ(sdk::to_json(job.input), R"({"task_id":"x"})");
  EXPECT_EQ(sdk::to_json(read(R"({"base_url":"http://h/","module":"m"})").input), "{}");
}

TEST(ApiInputs, TheCallsTokenWinsOverTheConfiguredOne) {
  ApiSettings settings;
  settings.token = "from-config";
  EXPECT_EQ(read(R"({"base_url":"http://h/","module":"m"})", settings).token, "from-config");
  EXPECT_EQ(read(R"({"base_url":"http://h/","module":"m","token":"t"})", settings).token, "t");
}

TEST(ApiInputs, TimesComeFromInputsOrSettings) {
  ApiSettings settings;
  auto job = read(R"({"base_url":"http://h/","module":"m","timeout":2.5,"poll_interval":0.1})");
  EXPECT_EQ(job.timeout.count(), 2500);
  EXPECT_EQ(job.poll_interval.count(), 100);
  EXPECT_EQ(read(R"({"base_url":"http://h/","module":"m"})").timeout, settings.default_timeout);
}

TEST(ApiInputs, RefusalsSayWhatToWrite) {
  EXPECT_NE(refusal(R"({"module":"m"})").find("base_url is required"), std::string::npos);
  EXPECT_NE(refusal(R"({"base_url":"http://h/"})").find("either tasks"), std::string::npos);
  EXPECT_NE(refusal(R"({"base_url":"http://h/","module":"m","tasks":[{}]})").find("not both"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"base_url":"http://h/","tasks":[]})").find("non-empty"), std::string::npos);
  const std::string credentials = refusal(R"({"base_url":"http://u:secret@h/","module":"m"})");
  EXPECT_NE(credentials.find("must not carry credentials"), std::string::npos);
  EXPECT_EQ(credentials.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace apflow::plugins::apflow_api
