#include "adapters/http/page_assets.h"

#include <algorithm>
#include <cctype>
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

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_page_route(std::string_view first_segment) {
  return std::ranges::find(kPageRoutes, first_segment) != std::end(kPageRoutes);
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::size_t start = 0;
  while (start <= accept_encoding.size()) {
    const std::size_t comma = std::min(accept_encoding.find(',', start), accept_encoding.size());
    const std::string_view item = accept_encoding.substr(start, comma - start);
    const std::size_t semicolon = std::min(item.find(';'), item.size());
    std::string coding(trimmed(item.substr(0, semicolon)));
    // Content codings are case-insensitive (RFC 9110 section 8.4.1).
    for (char& c : coding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (coding == "gzip" || coding == "x-gzip" || coding == "*") {
      // "q=0" (with any number of zero decimals) refuses the coding; anything else accepts it.
      const std::string_view parameters = trimmed(item.substr(semicolon));
      const std::size_t q = parameters.find("q=");
      if (q == std::string_view::npos) return true;
      const std::string_view value = trimmed(parameters.substr(q + 2));
      if (value.find_first_not_of("0.") != std::string_view::npos || value.empty()) return true;
    }
    start = comma + 1;
  }
  return false;
}

PageAssets::PageAssets(std::span<const PageAsset> assets) : assets_(assets), index_(find("/index.html")) {
  if (index_ == nullptr) throw std::invalid_argument("the page's assets hold no /index.html");
  for (const PageAsset& asset : assets_) {
    etags_.push_back(content_etag(asset.body));
    std::string gzip_etag = content_etag(asset.gzip_body);
    gzip_etag.insert(gzip_etag.size() - 1, "-gzip");
    gzip_etags_.push_back(std::move(gzip_etag));
  }
}

const PageAsset* PageAssets::find(std::string_view path) const {
  auto it = std::ranges::find(assets_, path, &PageAsset::path);
  return it == assets_.end() ? nullptr : &*it;
}

std::optional<HttpResponse> PageAssets::answer(const std::vector<std::string>& segments,
                                               std::optional<std::string_view> if_none_match,
                                               std::optional<std::string_view> accept_encoding) const {
  if (segments.empty()) return file_response(*index_, false, if_none_match, accept_encoding);
  if (segments.front() == "assets") {
    if (segments.size() != 2) return std::nullopt;
    const PageAsset* asset = find("/assets/" + segments[1]);
    if (asset == nullptr) return std::nullopt;
    return file_response(*asset, true, if_none_match, accept_encoding);
  }
  if (!is_page_route(segments.front())) return std::nullopt;
  return file_response(*index_, false, if_none_match, accept_encoding);
}

HttpResponse PageAssets::file_response(const PageAsset& asset, bool immutable,
                                       std::optional<std::string_view> if_none_match,
                                       std::optional<std::string_view> accept_encoding) const {
  HttpResponse response;
  response.route = immutable ? "GET /assets/{asset}" : "GET /";
  const auto index = static_cast<std::size_t>(&asset - assets_.data());
  const bool gzip = !asset.gzip_body.empty() && accept_encoding && accepts_gzip(*accept_encoding);
  const std::string& etag = gzip ? gzip_etags_[index] : etags_[index];
  response.set_header("ETag", etag);
  if (!asset.gzip_body.empty()) response.set_header("Vary", "Accept-Encoding");
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
  if (gzip) response.set_header("Content-Encoding", "gzip");
  response.body = std::string(gzip ? asset.gzip_body : asset.body);
  return response;
}

}  // namespace benefitd::http
