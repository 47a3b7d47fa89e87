// JSON-RPC 2.0 parsing and dispatch as the MCP and A2A front-ends see it.
#include "common/jsonrpc.h"

#include <gtest/gtest.h>

#include "common/json_depth.h"
#include "common/jsonrpc_dispatch.h"

namespace apflow::plugins::protocols::jsonrpc {
namespace {

Invalid only_invalid(const Parsed& parsed) {
  EXPECT_EQ(parsed.items.size(), 1u);
  return std::get<Invalid>(parsed.items.front());
}

TEST(JsonRpcParse, ARequestKeepsItsIdTextMethodAndParams) {
  const Parsed parsed = parse(R"({"jsonrpc":"2.0","id":"a-1","method":"ping","params":{"x":1}})");
  ASSERT_FALSE(parsed.batch);
  const auto& message = std::get<Message>(parsed.items.front());
  EXPECT_EQ(message.kind, Message::Kind::kRequest);
  EXPECT_EQ(message.id, R"("a-1")");
  EXPECT_EQ(message.method, "ping");
  EXPECT_EQ(message.params["x"].GetInt(), 1);
}

// Messages are parsed in place from a copy of the text: their strings (escapes decoded) stay
// readable for as long as the parsed messages live, batch members included.
TEST(JsonRpcParse, ParamsStringsOutliveTheTextTheyWereParsedFrom) {
  std::string text = R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"s":"a\"b\u00e9"}})";
  const Parsed one = parse(text);
  std::string batch_text = "[" + text + "," + text + "]";
  const Parsed batch = parse(batch_text);
  text.assign(text.size(), 'x');
  batch_text.assign(batch_text.size(), 'x');
  EXPECT_STREQ(std::get<Message>(one.items.front()).params["s"].GetString(), "a\"b\u00e9");
  ASSERT_EQ(batch.items.size(), 2u);
  for (const auto& item : batch.items) {
    EXPECT_STREQ(std::get<Message>(item).params["s"].GetString(), "a\"b\u00e9");
  }
}

TEST(JsonRpcParse, AnIdIsKeptAsRapidJsonsWriterWritesIt) {
  for (const char* id : {R"("a\"b\u0001")", "7", "-12", "0", "18446744073709551615", "1.5", "-0.25",
                         "1e+300", "null"}) {
    const std::string text = std::string(R"({"jsonrpc":"2.0","method":"m","id":)") + id + "}";
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    EXPECT_EQ(std::get<Message>(parse(text).items.front()).id, sdk::to_json(doc["id"])) << id;
  }
}

TEST(JsonRpcParse, NoIdMeansNotificationAndResultMeansResponse) {
  EXPECT_EQ(std::get<Message>(parse(R"({"jsonrpc":"2.0","method":"n"})").items[0]).kind,
            Message::Kind::kNotification);
  EXPECT_EQ(std::get<Message>(parse(R"({"jsonrpc":"2.0","id":3,"result":{}})").items[0]).kind,
            Message::Kind::kResponse);
}

TEST(JsonRpcParse, UnreadableJsonIsAParseErrorWithNullId) {
  const Invalid bad = only_invalid(parse(R"({"jsonrpc":"2.0",)"));
  EXPECT_EQ(bad.code, kParseError);
  EXPECT_EQ(bad.id, "null");
  EXPECT_NE(bad.message.find("Parse error"), std::string::npos);
}

// Regression: a body of a million '[' overflowed the stack inside RapidJSON (apflow mcp died
// with SIGSEGV). Nesting is measured before parsing and refused past 128 levels.
TEST(JsonRpcParse, NestingDeeperThanTheLimitIsAParseErrorNotACrash) {
  const Invalid deep = only_invalid(parse(std::string(1000000, '[')));
  EXPECT_EQ(deep.code, kParseError);
  EXPECT_NE(deep.message.find("nested deeper than 128 levels"), std::string::npos);
  const std::string params = std::string(200, '[') + std::string(200, ']');
  EXPECT_EQ(
      only_invalid(parse(R"({"jsonrpc":"2.0","id":1,"method":"m","params":)" + params + "}")).code,
      kParseError);
  // Brackets inside strings do not count, and 128 levels are still fine.
  const std::string ok =
      R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"a":")" + std::string(500, '[') + R"("}})";
  EXPECT_EQ(std::get<Message>(parse(ok).items.front()).method, "m");
  EXPECT_EQ(protocols::json_depth(std::string(128, '[') + std::string(128, ']')), 128u);
  EXPECT_EQ(protocols::json_depth(R"([""[[", {"a":[]}])"), 3u);
}

TEST(JsonRpcParse, WrongOrMissingVersionIsAnInvalidRequestKeepingTheId) {
  const Invalid wrong = only_invalid(parse(R"({"jsonrpc":"1.0","id":7,"method":"ping"})"));
  EXPECT_EQ(wrong.code, kInvalidRequest);
  EXPECT_EQ(wrong.id, "7");
  EXPECT_NE(wrong.message.find("\"jsonrpc\" must be \"2.0\""), std::string::npos);
  EXPECT_EQ(only_invalid(parse(R"({"id":7,"method":"ping"})")).code, kInvalidRequest);
}

TEST(JsonRpcParse, BadShapesAreInvalidRequests) {
  EXPECT_EQ(only_invalid(parse(R"(42)")).code, kInvalidRequest);
  EXPECT_EQ(only_invalid(parse(R"({"jsonrpc":"2.0","id":1})")).code, kInvalidRequest);
  EXPECT_EQ(only_invalid(parse(R"({"jsonrpc":"2.0","id":1,"method":5})")).code, kInvalidRequest);
  EXPECT_EQ(only_invalid(parse(R"({"jsonrpc":"2.0","id":{},"method":"m"})")).id, "null");
  EXPECT_EQ(only_invalid(parse(R"({"jsonrpc":"2.0","id":1,"method":"m","params":3})")).code,
            kInvalidRequest);
}

TEST(JsonRpcParse, BatchesParseEachMemberAndAnEmptyBatchIsInvalid) {
  const Parsed parsed = parse(R"([{"jsonrpc":"2.0","id":1,"method":"a"},1])");
  ASSERT_TRUE(parsed.batch);
  ASSERT_EQ(parsed.items.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<Message>(parsed.items[0]));
  EXPECT_TRUE(std::holds_alternative<Invalid>(parsed.items[1]));
  const Parsed empty = parse("[]");
  EXPECT_FALSE(empty.batch);
  EXPECT_EQ(only_invalid(empty).code, kInvalidRequest);
}

TEST(JsonRpcWrite, ErrorsEscapeTheMessageAndCarryData) {
  EXPECT_EQ(
      error("1", kInvalidParams, "bad \"x\"", R"({"f":1})"),
      R"({"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"bad \"x\"","data":{"f":1}}})");
  EXPECT_EQ(result(R"("a")", "{}"), R"({"jsonrpc":"2.0","id":"a","result":{}})");
  EXPECT_EQ(notification("n", ""), R"({"jsonrpc":"2.0","method":"n"})");
}

std::string dispatch_text(const Dispatcher& dispatcher, const std::string& text) {
  std::string answer = "(none)";
  jsonrpc::answer(
      parse(text),
      [&dispatcher](const Message& m, Sink sink) { dispatcher.handle(m, std::move(sink)); },
      [&answer](std::string t) { answer = std::move(t); });
  return answer;
}

TEST(JsonRpcQuoted, EscapesEveryByteAsRapidJsonsWriterDoes) {
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  for (const std::string& text :
       {std::string(), std::string("plain"), std::string("a\"b\\c\n"), every_byte,
        std::string(R"({"id":"x","inputs":{"q":"\u00e9"}})")}) {
    rapidjson::Value value(rapidjson::StringRef(text.data(), text.size()));
    EXPECT_EQ(json_string(text), sdk::to_json(value));
    std::string appended = "prefix:";
    append_json_string(appended, text);
    EXPECT_EQ(appended, "prefix:" + sdk::to_json(value));
  }
}

// Long texts are quoted sixteen bytes at a time: a byte to escape at every place of such a block,
// and runs of them, must come out as RapidJSON's Writer writes them.
TEST(JsonRpcQuoted, EscapesBytesAtEveryPlaceOfALongText) {
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', ' ', '\x7f', '\x80', '\xff'}) {
    for (size_t before = 0; before < 33; ++before) {
      for (size_t count : {1, 2, 9, 17}) {
        const std::string text = std::string(before, 'a') + std::string(count, special) +
                                 std::string(before + 3, 'b') + "\xc3\xa9 \"end\"";
        rapidjson::Value value(rapidjson::StringRef(text.data(), text.size()));
        std::string appended = "x";
        append_json_string(appended, text);
        EXPECT_EQ(appended, "x" + sdk::to_json(value)) << before << " " << count;
      }
    }
  }
  // Texts longer than the slices they are quoted in, escapes across the slices' edges included.
  for (const std::string& unit : {std::string("\x01\"\\"), std::string("plain text, "),
                                  std::string("{\"k\":\"v\u00e9\\n\"}")}) {
    std::string text;
    while (text.size() < 5000) text += unit;
    rapidjson::Value value(rapidjson::StringRef(text.data(), text.size()));
    EXPECT_EQ(json_string(text), sdk::to_json(value)) << unit;
  }
}

TEST(JsonRpcDispatch, UnknownMethodsAndHandlerErrorsBecomeJsonRpcErrors) {
  Dispatcher dispatcher;
  dispatcher.on_request("echo",
                        [](const Message& m, Reply reply) { reply.ok(sdk::to_json(m.params)); });
  dispatcher.on_request("picky", [](const Message&, Reply) -> void {
    throw RpcError(kInvalidParams, "Invalid params: x is required");
  });
  EXPECT_EQ(dispatch_text(dispatcher, R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[1]})"),
            R"({"jsonrpc":"2.0","id":1,"result":[1]})");
  EXPECT_EQ(
      dispatch_text(dispatcher, R"({"jsonrpc":"2.0","id":2,"method":"nope"})"),
      R"({"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Method not found: nope"}})");
  EXPECT_EQ(
      dispatch_text(dispatcher, R"({"jsonrpc":"2.0","id":3,"method":"picky"})"),
      R"({"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Invalid params: x is required"}})");
}

TEST(JsonRpcDispatch, AResultWrittenIntoTheResponseReadsAsOkWritesIt) {
  Dispatcher dispatcher;
  dispatcher.on_request("ok", [](const Message&, Reply reply) { reply.ok(R"({"a":1})"); });
  dispatcher.on_request("with", [](const Message&, Reply reply) {
    reply.ok_with(7, [](std::string& out) { out += R"({"a":1})"; });
  });
  EXPECT_EQ(dispatch_text(dispatcher, R"({"jsonrpc":"2.0","id":"x","method":"with"})"),
            dispatch_text(dispatcher, R"({"jsonrpc":"2.0","id":"x","method":"ok"})"));
  EXPECT_EQ(dispatch_text(dispatcher, R"({"jsonrpc":"2.0","id":2,"method":"with"})"),
            R"({"jsonrpc":"2.0","id":2,"result":{"a":1}})");
}

TEST(JsonRpcDispatch, NotificationsAreNotAnsweredAndBatchesAnswerInOneArray) {
  Dispatcher dispatcher;
  int seen = 0;
  dispatcher.on_notification("tick", [&seen](const Message&) { ++seen; });
  dispatcher.on_request("one", [](const Message&, Reply reply) { reply.ok("1"); });
  EXPECT_EQ(dispatch_text(dispatcher, R"({"jsonrpc":"2.0","method":"tick"})"), "");
  EXPECT_EQ(dispatch_text(dispatcher, R"({"jsonrpc":"2.0","method":"unknown"})"), "");
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(
      dispatch_text(dispatcher, R"([{"jsonrpc":"2.0","id":1,"method":"one"},)"
                                R"({"jsonrpc":"2.0","method":"tick"},{"bad":1}])"),
      R"([{"jsonrpc":"2.0","id":1,"result":1},)"
      R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: \"jsonrpc\" must be \"2.0\""}}])");
  EXPECT_EQ(dispatch_text(dispatcher, R"([{"jsonrpc":"2.0","method":"tick"}])"), "");
}

TEST(JsonRpcDispatch, OnlyTheFirstAnswerCountsAndNotificationsStopAfterIt) {
  std::vector<std::string> out;
  Reply reply("9", Sink{[&out](std::string t) { out.push_back("answer " + t); },
                        [&out](std::string t) { out.push_back("related " + t); }});
  reply.notify("p1");
  reply.ok("{}");
  reply.fail(kInternalError, "late");
  reply.notify("p2");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "related p1");
  EXPECT_EQ(out[1], R"(answer {"jsonrpc":"2.0","id":9,"result":{}})");
  EXPECT_TRUE(reply.answered());
}

}  // namespace
}  // namespace apflow::plugins::protocols::jsonrpc
