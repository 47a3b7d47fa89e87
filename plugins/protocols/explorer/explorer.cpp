#include "explorer/explorer.h"

#include "explorer/api_reply.h"
#include "explorer/explorer_assets.h"
#include "explorer/explorer_routes.h"

namespace apflow::plugins::explorer {
namespace {

namespace http = protocols::http;
using protocols::HttpExchange;
using protocols::HttpResponse;

// The page runs only its own files: no inline script, nothing from elsewhere, no framing by
// another site (the page can call destructive modules).
constexpr std::string_view kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// An embedded file, or 304 when the browser's copy (If-None-Match) is current. no-cache:
// the browser keeps the file but asks each time, so an upgraded apflow is seen at once.
void serve_file(const std::shared_ptr<HttpExchange>& exchange, const EmbeddedAsset& asset) {
  const bool current = protocols::header(exchange->request(), "If-None-Match") == asset.etag;
  HttpResponse response = current
                              ? HttpResponse{http::status::not_modified, 11}
                              : protocols::make_response(http::status::ok, std::string(asset.body),
                                                         content_type_for(asset.name));
  response.set(http::field::etag, asset.etag);
  response.set(http::field::cache_control, "no-cache");
  response.set("X-Content-Type-Options", "nosniff");
  if (asset.name.ends_with(".html")) {
    response.set("Content-Security-Policy", kPagePolicy);
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
  }
  exchange->respond(std::move(response));
}

HttpResponse wrong_method(http::verb allowed) {
  const std::string name(http::to_string(allowed));
  HttpResponse refusal =
      api_error(http::status::method_not_allowed, "Method Not Allowed: use " + name);
  refusal.set(http::field::allow, name);
  return refusal;
}

}  // namespace

Explorer::Explorer(sdk::Host host, ExplorerSettings settings)
    : settings_(std::move(settings)),
      calls_(host),
      modules_(host, calls_),
      trees_(calls_),
      streams_(host) {}

bool Explorer::handles(std::string_view path) {
  return is_explorer_path(path);
}

std::string Explorer::url(std::string_view server_url) {
  return page_url(server_url);
}

void Explorer::handle(const std::shared_ptr<HttpExchange>& exchange) {
  const auto& request = exchange->request();
  const std::string_view path = protocols::path_of(request);
  const Route target = route(path);
  if (target.kind == RouteKind::kNotFound) {
    return exchange->respond(
        api_error(http::status::not_found, "Not Found: the explorer has no page or API at " +
                                               std::string(path) + "; open /explorer/"));
  }
  if (request.method() != method_of(target.kind)) {
    return exchange->respond(wrong_method(method_of(target.kind)));
  }
  if (is_api(target.kind)) {
    const std::string_view origin = protocols::header(request, "Origin");
    if (!origin_allowed(origin, protocols::header(request, "Host"), settings_.allowed_origins)) {
      return exchange->respond(
          api_error(http::status::forbidden, "Forbidden: a page from " + std::string(origin) +
                                                 " may not use the explorer API; allow the origin "
                                                 "with --cors-origin"));
    }
  }
  switch (target.kind) {
    case RouteKind::kRedirect: {
      HttpResponse moved{http::status::permanent_redirect, 11};
      moved.set(http::field::location, std::string(kPrefix) + "/");
      return exchange->respond(std::move(moved));
    }
    case RouteKind::kPage:
      return serve_file(exchange, *find_asset("index.html"));
    case RouteKind::kAsset:
      return serve_file(exchange, *find_asset(target.arg));
    case RouteKind::kModules:
      return modules_.list(exchange);
    case RouteKind::kModule:
      return modules_.describe(exchange, target.arg);
    case RouteKind::kCall:
      return modules_.call(exchange, target.arg);
    case RouteKind::kTrees:
      return trees_.list(exchange);
    case RouteKind::kTree:
      return trees_.get(exchange, target.arg);
    case RouteKind::kEvents: {
      const auto& raw = request.target();
      return streams_.open(exchange, query_param({raw.data(), raw.size()}, "tree"));
    }
    case RouteKind::kNotFound:
      break;
  }
}

std::unique_ptr<Explorer> make_explorer(sdk::Host host, protocols::HttpConfig& config,
                                        std::vector<std::string> allowed_origins) {
  for (auto& path : public_paths()) config.public_paths.push_back(std::move(path));
  allowed_origins.insert(allowed_origins.end(), config.cors_origins.begin(),
                         config.cors_origins.end());
  return std::make_unique<Explorer>(host, ExplorerSettings{std::move(allowed_origins)});
}

}  // namespace apflow::plugins::explorer
