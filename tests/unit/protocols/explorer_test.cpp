// The explorer's pure parts: routing under /explorer, query strings, the origin rule of its
// API, the embedded files and how they are served, and the tree list made from task.list.
#include <gtest/gtest.h>

#include <apflow/sdk/json.h>

#include <algorithm>

#include "explorer/explorer_assets.h"
#include "explorer/explorer_routes.h"
#include "explorer/tree_api.h"

namespace apflow::plugins::explorer {
namespace {

TEST(ExplorerRoutes, PathsUnderThePrefixOnly) {
  EXPECT_TRUE(is_explorer_path("/explorer"));
  EXPECT_TRUE(is_explorer_path("/explorer/"));
  EXPECT_TRUE(is_explorer_path("/explorer/api/modules"));
  EXPECT_FALSE(is_explorer_path("/explorers"));
  EXPECT_FALSE(is_explorer_path("/mcp"));
  EXPECT_FALSE(is_explorer_path("/"));
}

TEST(ExplorerRoutes, EachPathNamesOneRoute) {
  struct Case {
    std::string_view path;
    RouteKind kind;
    std::string_view arg;
  };
  const Case cases[] = {
      {"/explorer", RouteKind::kRedirect, ""},
      {"/explorer/", RouteKind::kPage, ""},
      {"/explorer/index.html", RouteKind::kPage, ""},
      {"/explorer/assets/app.js", RouteKind::kAsset, "app.js"},
      {"/explorer/assets/missing.js", RouteKind::kNotFound, ""},
      {"/explorer/assets/../index.html", RouteKind::kNotFound, ""},
      {"/explorer/api/modules", RouteKind::kModules, ""},
      {"/explorer/api/modules/apflow.task.list", RouteKind::kModule, "apflow.task.list"},
      {"/explorer/api/modules/apflow.task%2Elist/call", RouteKind::kCall, "apflow.task.list"},
      {"/explorer/api/modules/", RouteKind::kNotFound, ""},
      {"/explorer/api/modules/a/b", RouteKind::kNotFound, ""},
      {"/explorer/api/modulesx", RouteKind::kNotFound, ""},
      {"/explorer/api/trees", RouteKind::kTrees, ""},
      {"/explorer/api/trees/root-1", RouteKind::kTree, "root-1"},
      {"/explorer/api/trees/", RouteKind::kNotFound, ""},
      {"/explorer/api/events", RouteKind::kEvents, ""},
      {"/explorer/nothing", RouteKind::kNotFound, ""},
  };
  for (const auto& [path, kind, arg] : cases) {
    const Route found = route(path);
    EXPECT_EQ(found.kind, kind) << path;
    EXPECT_EQ(found.arg, arg) << path;
  }
}

TEST(ExplorerRoutes, OnlyCallsArePostsAndOnlyTheApiIsApi) {
  EXPECT_EQ(method_of(RouteKind::kCall), protocols::http::verb::post);
  EXPECT_EQ(method_of(RouteKind::kModules), protocols::http::verb::get);
  EXPECT_EQ(method_of(RouteKind::kPage), protocols::http::verb::get);
  EXPECT_TRUE(is_api(RouteKind::kCall));
  EXPECT_TRUE(is_api(RouteKind::kEvents));
  EXPECT_FALSE(is_api(RouteKind::kPage));
  EXPECT_FALSE(is_api(RouteKind::kAsset));
}

TEST(ExplorerRoutes, ThePageAndItsFilesArePublicButNotTheApi) {
  const auto paths = public_paths();
  auto has = [&](std::string_view path) {
    return std::find(paths.begin(), paths.end(), path) != paths.end();
  };
  EXPECT_TRUE(has("/explorer"));
  EXPECT_TRUE(has("/explorer/"));
  EXPECT_TRUE(has("/explorer/assets/app.js"));
  EXPECT_TRUE(has("/explorer/assets/explorer.css"));
  EXPECT_FALSE(has("/explorer/api/modules"));
}

TEST(ExplorerRoutes, PageUrlSitsBesideTheServerUrl) {
  EXPECT_EQ(page_url("http://127.0.0.1:8000/mcp"), "http://127.0.0.1:8000/explorer/");
  EXPECT_EQ(page_url("http://127.0.0.1:8000/"), "http://127.0.0.1:8000/explorer/");
  EXPECT_EQ(page_url("http://[::1]:9/x/y"), "http://[::1]:9/explorer/");
}

TEST(ExplorerRoutes, QueryParametersAreDecoded) {
  EXPECT_EQ(query_param("/explorer/api/events?tree=a%20b", "tree"), "a b");
  EXPECT_EQ(query_param("/x?limit=5&tree=t+1", "tree"), "t 1");
  EXPECT_EQ(query_param("/x?trees=1", "tree"), "");
  EXPECT_EQ(query_param("/x", "tree"), "");
  EXPECT_EQ(query_param("/x?tree", "tree"), "");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%41"), "%zzA");
}

TEST(ExplorerRoutes, ForeignBrowserOriginsAreRefused) {
  const std::vector<std::string> none;
  EXPECT_TRUE(origin_allowed("", "127.0.0.1:8000", none));
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", none));
  EXPECT_TRUE(origin_allowed("http://localhost:3000", "127.0.0.1:8000", none));
  EXPECT_FALSE(origin_allowed("https://evil.example", "127.0.0.1:8000", none));
  // DNS rebinding: the attacker's name in Host as well as in Origin.
  EXPECT_FALSE(origin_allowed("http://evil.example:8000", "evil.example:8000", none));
  // The server's own IP address, as a user on the network opens it.
  EXPECT_TRUE(origin_allowed("http://10.0.0.5:8000", "10.0.0.5:8000", none));
  EXPECT_FALSE(origin_allowed("http://10.0.0.6:8000", "10.0.0.5:8000", none));
  EXPECT_TRUE(origin_allowed("https://app.example", "127.0.0.1:8000", {"https://app.example"}));
  EXPECT_TRUE(origin_allowed("https://any.example", "127.0.0.1:8000", {"*"}));
}

TEST(ExplorerAssets, EveryFileIsEmbeddedWithAnETagAndAType) {
  const auto* page = find_asset("index.html");
  ASSERT_NE(page, nullptr);
  EXPECT_NE(page->body.find("assets/app.js"), std::string_view::npos);
  EXPECT_EQ(page->etag.front(), '"');
  EXPECT_EQ(page->etag.back(), '"');
  EXPECT_EQ(find_asset("nope.js"), nullptr);
  for (const auto& asset : embedded_assets()) {
    EXPECT_FALSE(asset.body.empty()) << asset.name;
    EXPECT_NE(content_type_for(asset.name), "application/octet-stream") << asset.name;
  }
  EXPECT_EQ(content_type_for("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("explorer.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("js"), "application/octet-stream");
}

TEST(ExplorerTrees, RootsOfTheListWithTheirTaskCounts) {
  const std::string listed = R"({"total":4,"tasks":[
    {"id":"c","name":"c","status":"pending","task_tree_id":"r","parent_id":"r"},
    {"id":"r","name":"root","status":"pending","task_tree_id":"r","parent_id":null},
    {"id":"s","name":"solo","status":"completed","task_tree_id":"s"},
    {"id":"d","name":"d","status":"pending","task_tree_id":"r","parent_id":"c"}]})";
  const sdk::Json out = sdk::parse_json(TreeApi::roots_of(listed));
  ASSERT_EQ(out["trees"].Size(), 2u);
  EXPECT_STREQ(out["trees"][0]["id"].GetString(), "r");
  EXPECT_EQ(out["trees"][0]["tasks"].GetInt(), 3);
  EXPECT_STREQ(out["trees"][1]["id"].GetString(), "s");
  EXPECT_EQ(out["trees"][1]["tasks"].GetInt(), 1);
  EXPECT_EQ(out["total"].GetInt(), 4);
  EXPECT_EQ(sdk::parse_json(TreeApi::roots_of("not json"))["trees"].Size(), 0u);
}

}  // namespace
}  // namespace apflow::plugins::explorer
