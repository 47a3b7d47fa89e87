#include "cli/schema_flags.h"

#include <apflow/sdk/error.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/input_merge.h"

namespace apflow::plugins::cli {
namespace {

const char* kSchema = R"({"type":"object",
  "properties":{
    "task_id":{"type":"string","description":"Task to run"},
    "count":{"type":"integer"},
    "ratio":{"type":"number"},
    "dry_run":{"type":"boolean","description":"Only check"},
    "mode":{"enum":["fast","safe",3]},
    "params":{"type":"object"},
    "tags":{"type":["array","null"]},
    "anything":{},
    "input":{"type":"string"},
    "bad name":{"type":"string"}},
  "required":["task_id","input"]})";

std::vector<FlagSpec> specs() {
  return flags_from_schema(sdk::parse_json(kSchema));
}

const FlagSpec& spec(const std::vector<FlagSpec>& all, const std::string& property) {
  for (const auto& s : all) {
    if (s.property == property) return s;
  }
  throw std::runtime_error("no flag for " + property);
}

std::string value_json(const FlagSpec& s, const std::string& text) {
  sdk::Json doc;
  return sdk::to_json(flag_value(s, text, doc.GetAllocator()));
}

std::string error_of(const FlagSpec& s, const std::string& text) {
  try {
    value_json(s, text);
  } catch (const sdk::Error& e) {
    return e.code() + ": " + e.what();
  }
  return "no error";
}

TEST(SchemaFlags, OneFlagPerUsablePropertyInSchemaOrder) {
  std::vector<std::string> flags;
  for (const auto& s : specs()) flags.push_back(s.flag);
  EXPECT_EQ(flags, (std::vector<std::string>{"task-id", "count", "ratio", "dry-run", "mode",
                                             "params", "tags", "anything", "arg-input"}));
}

TEST(SchemaFlags, KindsFollowTheSchemaTypes) {
  const auto all = specs();
  EXPECT_EQ(spec(all, "task_id").kind, FlagKind::kString);
  EXPECT_EQ(spec(all, "count").kind, FlagKind::kInteger);
  EXPECT_EQ(spec(all, "ratio").kind, FlagKind::kNumber);
  EXPECT_EQ(spec(all, "dry_run").kind, FlagKind::kBoolean);
  EXPECT_EQ(spec(all, "mode").kind, FlagKind::kChoice);
  EXPECT_EQ(spec(all, "params").kind, FlagKind::kJson);
  EXPECT_EQ(spec(all, "tags").kind, FlagKind::kJson);
  EXPECT_EQ(spec(all, "anything").kind, FlagKind::kAny);
  EXPECT_EQ(choice_list(spec(all, "mode")), "{fast,safe,3}");
}

TEST(SchemaFlags, HelpIsTheDescriptionMarkedWhenRequired) {
  const auto all = specs();
  EXPECT_EQ(spec(all, "task_id").help, "Task to run [required]");
  EXPECT_TRUE(spec(all, "task_id").required);
  EXPECT_EQ(spec(all, "dry_run").help, "Only check");
  EXPECT_EQ(spec(all, "input").help, "[required]");
  EXPECT_EQ(spec(all, "count").help, "");
}

TEST(SchemaFlags, SchemasWithoutPropertiesGiveNoFlags) {
  EXPECT_TRUE(flags_from_schema(sdk::parse_json("{}")).empty());
  EXPECT_TRUE(flags_from_schema(sdk::parse_json(R"({"type":"object"})")).empty());
  EXPECT_TRUE(flags_from_schema(rapidjson::Value()).empty());
}

TEST(SchemaFlags, TwoPropertiesOnOneFlagAreACollision) {
  try {
    flags_from_schema(sdk::parse_json(
        R"({"properties":{"verbose":{"type":"boolean"},"no_verbose":{"type":"string"}}})"));
    FAIL() << "expected a collision";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.code(), "CLI_FLAG_COLLISION");
    EXPECT_NE(std::string(e.what()).find("--no-verbose"), std::string::npos) << e.what();
  }
  EXPECT_THROW(flags_from_schema(sdk::parse_json(
                   R"({"properties":{"input":{"type":"string"},"arg_input":{"type":"string"}}})")),
               sdk::Error);
}

TEST(FlagValues, TextIsConvertedToTheSchemaType) {
  const auto all = specs();
  EXPECT_EQ(value_json(spec(all, "task_id"), "42"), R"("42")");
  EXPECT_EQ(value_json(spec(all, "count"), "-7"), "-7");
  EXPECT_EQ(value_json(spec(all, "count"), "+7"), "7");
  EXPECT_EQ(value_json(spec(all, "ratio"), "2"), "2");
  EXPECT_EQ(value_json(spec(all, "ratio"), "0.25"), "0.25");
  EXPECT_EQ(value_json(spec(all, "dry_run"), "false"), "false");
  EXPECT_EQ(value_json(spec(all, "mode"), "safe"), R"("safe")");
  EXPECT_EQ(value_json(spec(all, "mode"), "3"), "3");
  EXPECT_EQ(value_json(spec(all, "params"), R"({"a": [1, 2]})"), R"({"a":[1,2]})");
  EXPECT_EQ(value_json(spec(all, "tags"), R"(["x"])"), R"(["x"])");
  EXPECT_EQ(value_json(spec(all, "anything"), "12"), "12");
  EXPECT_EQ(value_json(spec(all, "anything"), "plain words"), R"("plain words")");
}

TEST(FlagValues, TextThatDoesNotFitIsAUsageErrorNamingTheFlag) {
  const auto all = specs();
  EXPECT_EQ(error_of(spec(all, "count"), "x"),
            "GENERAL_INVALID_INPUT: --count expects an integer, got 'x'");
  EXPECT_EQ(error_of(spec(all, "count"), "1.5"),
            "GENERAL_INVALID_INPUT: --count expects an integer, got '1.5'");
  EXPECT_EQ(error_of(spec(all, "count"), ""),
            "GENERAL_INVALID_INPUT: --count expects an integer, got ''");
  EXPECT_EQ(error_of(spec(all, "ratio"), "nan"),
            "GENERAL_INVALID_INPUT: --ratio expects a number, got 'nan'");
  EXPECT_EQ(error_of(spec(all, "mode"), "slow"),
            "GENERAL_INVALID_INPUT: --mode expects one of {fast,safe,3}, got 'slow'");
  const std::string json_error = error_of(spec(all, "params"), "{oops");
  EXPECT_EQ(json_error.rfind("GENERAL_INVALID_INPUT: --params is not valid JSON (offset 1)", 0), 0u)
      << json_error;
}

TEST(FlagValues, DeadlinesArePositiveIntegers) {
  EXPECT_EQ(positive_option("", "timeout", "milliseconds"), 0);
  EXPECT_EQ(positive_option("250", "timeout", "milliseconds"), 250);
  for (const char* bad : {"0", "-5", "1.5", "soon"}) {
    try {
      positive_option(bad, "timeout-s", "seconds");
      FAIL() << bad;
    } catch (const sdk::Error& e) {
      EXPECT_EQ(std::string(e.what()),
                "--timeout-s expects a positive number of seconds, got '" + std::string(bad) + "'");
    }
  }
}

TEST(InputMerge, FlagsWinOverStdinKeys) {
  sdk::Json base = sdk::parse_json(R"({"message":"stdin","count":3,"extra":{"a":1}})");
  const sdk::Json flags = sdk::parse_json(R"({"message":"flag","dry_run":true})");
  const sdk::Json merged = merge_inputs(std::move(base), flags);
  EXPECT_EQ(sdk::to_json(merged), R"({"message":"flag","count":3,"extra":{"a":1},"dry_run":true})");
}

TEST(InputMerge, StdinMustHoldOneJsonObjectWithinTheLimit) {
  std::istringstream good(R"( {"a": 1} )");
  EXPECT_EQ(sdk::to_json(read_input_object(good)), R"({"a":1})");

  auto error_of_text = [](const std::string& text, size_t limit) -> std::string {
    std::istringstream in(text);
    try {
      read_input_object(in, limit);
    } catch (const sdk::Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error_of_text("", 100).find("stdin is empty"), std::string::npos);
  EXPECT_NE(error_of_text("[1]", 100).find("must hold a JSON object"), std::string::npos);
  EXPECT_NE(error_of_text("{", 100).find("not valid JSON"), std::string::npos);
  EXPECT_NE(
      error_of_text(std::string(3 * 1024 * 1024, ' '), 2 * 1024 * 1024).find("more than 2 MiB"),
      std::string::npos);
}

}  // namespace
}  // namespace apflow::plugins::cli
