#include "adapters/http/page_assets.h"

#include <algorithm>
#include <stdexcept>

#include "adapters/http/request_headers.h"

namespace benefitd::http {

namespace {

/// A strong ETag from the content; stable across restarts of the same build.
std::string content_etag(std::string_view body) {
  // FNV-1a over the bytes: enough to tell builds apart, no crypto needed for a cache validator.
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string etag = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) etag.push_back(kDigits[(hash >> shift) & 0xf]);
  etag.push_back('"');
  return etag;
}

bool is_page_route(std::string_view first_segment) {
  return std::ranges::find(kPageRoutes, first_segment) != std::end(kPageRoutes);
}

}  // namespace

PageAssets::PageAssets(std::span<const PageAsset> assets) : assets_(assets), index_(find("/index.html")) {
  if (index_ == nullptr) throw std::invalid_argument("the page's assets hold no /index.html");
  for (const PageAsset& asset : assets_) etags_.push_back(content_etag(asset.body));
}

const PageAsset* PageAssets::find(std::string_view path) const {
  auto it = std::ranges::find(assets_, path, &PageAsset::path);
  return it == assets_.end() ? nullptr : &*it;
}

std::optional<HttpResponse> PageAssets::answer(const std::vector<std::string>& segments,
                                               std::optional<std::string_view> if_none_match) const {
  if (segments.empty()) return file_response(*index_, false, if_none_match);
  if (segments.front() == "assets") {
    if (segments.size() != 2) return std::nullopt;
    const PageAsset* asset = find("/assets/" + segments[1]);
    if (asset == nullptr) return std::nullopt;
    return file_response(*asset, true, if_none_match);
  }
  if (!is_page_route(segments.front())) return std::nullopt;
  return file_response(*index_, false, if_none_match);
}

HttpResponse PageAssets::file_response(const PageAsset& asset, bool immutable,
                                       std::optional<std::string_view> if_none_match) const {
  HttpResponse response;
  response.route = immutable ? "GET /assets/{asset}" : "GET /";
  const std::string& etag = etags_[static_cast<std::size_t>(&asset - assets_.data())];
  response.set_header("ETag", etag);
  response.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.set_header("X-Content-Type-Options", "nosniff");
  if (!immutable) {
    // The page loads only its own scripts and styles and talks only to its own origin.
    response.set_header("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    response.set_header("Referrer-Policy", "no-referrer");
  }
  if (if_none_match && if_none_match_lists(*if_none_match, etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.set_header("Content-Type", std::string(asset.content_type));
  response.body = std::string(asset.body);
  return response;
}

}  // namespace benefitd::http
