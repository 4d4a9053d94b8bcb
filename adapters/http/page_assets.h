#pragma once
// PageAssets: serves the Benefits page (web/) that the build compiled into benefitd, on the
// same origin as the API. The page is a single-page application: index.html answers `/` and
// every path under the page's own routes (client-side routing), and its content-hashed assets
// answer under /assets/. Anything else (the API, /healthz, /metrics, /openapi.json, unknown
// paths) is not the page's and is left to the router.
//
// Caching: assets carry their content hash in their names, so they are cached for a year and
// marked immutable; index.html names the current assets and is revalidated every time
// (`no-cache`, with an ETag so the revalidation is a 304). A file the build also compressed is
// sent gzip-encoded to clients that accept it (`Vary: Accept-Encoding`; each encoding has its
// own ETag).
//
// Thread safety: immutable after construction; answer() may be called concurrently.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/http_message.h"

namespace benefitd::http {

/// One file of the built page, as the build embedded it.
struct PageAsset {
  std::string_view path;          // "/index.html", "/assets/index-3f9a1c.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
  std::string_view gzip_body = {};  // the same, gzip-compressed by the build; empty: none
};

/// Whether an Accept-Encoding header accepts gzip (named or "*", with a q-value above 0).
bool accepts_gzip(std::string_view accept_encoding);

/// The first path segments that belong to the page's client-side routes (web/src/routes.ts
/// lists the same). "" is `/` itself.
inline constexpr std::string_view kPageRoutes[] = {"", "benefits", "packages", "users", "history", "operator"};

class PageAssets {
 public:
  /// `assets` must outlive this object and hold "/index.html".
  explicit PageAssets(std::span<const PageAsset> assets);

  /// The answer to a GET (or HEAD) of the decoded path `segments` when the path is the page's,
  /// else nullopt. `if_none_match` is the request's If-None-Match header, if any.
  /// `accept_encoding` is its Accept-Encoding header, if any.
  std::optional<HttpResponse> answer(const std::vector<std::string>& segments,
                                     std::optional<std::string_view> if_none_match,
                                     std::optional<std::string_view> accept_encoding = std::nullopt) const;

 private:
  HttpResponse file_response(const PageAsset& asset, bool immutable, std::optional<std::string_view> if_none_match,
                             std::optional<std::string_view> accept_encoding) const;
  const PageAsset* find(std::string_view path) const;

  std::span<const PageAsset> assets_;
  std::vector<std::string> etags_;       // per asset, in the order of assets_
  std::vector<std::string> gzip_etags_;  // of the gzip bodies, likewise
  const PageAsset* index_ = nullptr;
};

}  // namespace benefitd::http
