#include "cli/run_file.h"

#include <apflow/sdk/error.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace apflow::plugins::cli {
namespace {

std::string tasks_json(std::string_view text, FileSyntax syntax) {
  return sdk::to_json(parse_task_text(text, syntax, "tasks.file"));
}

std::string error_of(std::string_view text, FileSyntax syntax) {
  try {
    parse_task_text(text, syntax, "tasks.file");
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.code(), "GENERAL_INVALID_INPUT");
    return e.what();
  }
  return "no error";
}

TEST(RunFile, SyntaxComesFromTheExtension) {
  EXPECT_EQ(syntax_of("a/b.json"), FileSyntax::kJson);
  EXPECT_EQ(syntax_of("tree.YAML"), FileSyntax::kYaml);
  EXPECT_EQ(syntax_of("tree.yml"), FileSyntax::kYaml);
  EXPECT_THROW(syntax_of("tree.txt"), sdk::Error);
  EXPECT_THROW(syntax_of("tree"), sdk::Error);
}

TEST(RunFile, AnArrayOrAnObjectBecomesTheCreateTreeInput) {
  EXPECT_EQ(tasks_json(R"([{"name":"a"},{"name":"b","parent_id":"x"}])", FileSyntax::kJson),
            R"({"tasks":[{"name":"a"},{"name":"b","parent_id":"x"}]})");
  // Tree options pass through; create_tree itself names a key it does not know.
  EXPECT_EQ(tasks_json(R"({"tasks":[{"name":"a"}],"failure_policy":"skip"})", FileSyntax::kJson),
            R"({"tasks":[{"name":"a"}],"failure_policy":"skip"})");
}

TEST(RunFile, YamlScalarsFollowTheCoreSchema) {
  const char* yaml = R"(
tasks:
  - id: fetch
    name: Fetch
    priority: 1
    inputs:
      url: "http://127.0.0.1:8080"
      ratio: 0.5
      retry: true
      missing: ~
      quoted_number: "42"
      version: 1.2.3
      tags: [a, b]
  - name: Parse
    parent_id: fetch
    dependencies: [{id: fetch, required: false}]
)";
  EXPECT_EQ(
      tasks_json(yaml, FileSyntax::kYaml),
      R"({"tasks":[{"id":"fetch","name":"Fetch","priority":1,"inputs":{)"
      R"("url":"http://127.0.0.1:8080","ratio":0.5,"retry":true,"missing":null,)"
      R"("quoted_number":"42","version":"1.2.3","tags":["a","b"]}},)"
      R"({"name":"Parse","parent_id":"fetch","dependencies":[{"id":"fetch","required":false}]}]})");
}

TEST(RunFile, WrongShapesSayWhatIsExpected) {
  EXPECT_EQ(error_of(R"({"name":"a"})", FileSyntax::kJson),
            "tasks.file: expected an array of tasks or an object with a \"tasks\" array");
  EXPECT_EQ(error_of("[]", FileSyntax::kJson), "tasks.file: holds no tasks; add at least one");
  EXPECT_EQ(error_of(R"([{"name":"a"}, 3])", FileSyntax::kJson),
            "tasks.file: task 2 is not an object of task fields");
  EXPECT_EQ(error_of("tasks: 3", FileSyntax::kYaml),
            "tasks.file: expected an array of tasks or an object with a \"tasks\" array");
}

TEST(RunFile, SyntaxErrorsSayWhere) {
  EXPECT_EQ(error_of("[{]", FileSyntax::kJson).rfind("tasks.file: not valid JSON (offset 2)", 0),
            0u);
  const std::string yaml_error = error_of("tasks:\n  - name: a\n   bad: [", FileSyntax::kYaml);
  EXPECT_EQ(yaml_error.rfind("tasks.file:3:", 0), 0u) << yaml_error;
  EXPECT_EQ(error_of("a: 1\na: 2\n", FileSyntax::kYaml), "tasks.file:2:1: the key 'a' is repeated");
}

TEST(RunFile, LoadsAFileAndNamesAMissingOne) {
  const auto path = std::filesystem::temp_directory_path() / "apflow_cli_run_file_test.yaml";
  std::ofstream(path) << "- name: only\n";
  EXPECT_EQ(sdk::to_json(load_task_file(path.string())), R"({"tasks":[{"name":"only"}]})");
  std::filesystem::remove(path);
  try {
    load_task_file(path.string());
    FAIL() << "expected an error";
  } catch (const sdk::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read it"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace apflow::plugins::cli
