#include "adapters/http/request_headers.h"

#include <algorithm>
#include <charconv>
#include <random>

#include "adapters/http/http_message.h"

namespace benefitd::http {

namespace {

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::optional<std::uint64_t> parse_unsigned(std::string_view digits) {
  std::uint64_t value = 0;
  if (digits.empty()) return std::nullopt;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> bearer_token(std::optional<std::string_view> authorization) {
  if (!authorization) return std::nullopt;
  const std::string_view value = trim(*authorization);
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size() || !iequals(value.substr(0, scheme.size()), scheme)) return std::nullopt;
  const std::string_view token = trim(value.substr(scheme.size()));
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

IfMatch parse_if_match(std::optional<std::string_view> header) {
  if (!header) return {};
  const std::string_view value = trim(*header);
  if (value == "*") return {};
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    if (auto version = parse_unsigned(value.substr(1, value.size() - 2))) return IfMatch{version, false};
  return IfMatch{std::nullopt, true};
}

bool if_none_match_lists(std::string_view header, std::string_view etag) {
  std::size_t start = 0;
  while (start <= header.size()) {
    const std::size_t comma = std::min(header.find(',', start), header.size());
    std::string_view candidate = trim(header.substr(start, comma - start));
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == "*" || candidate == etag) return true;
    start = comma + 1;
  }
  return false;
}

std::optional<std::chrono::seconds> preferred_wait(std::optional<std::string_view> prefer) {
  if (!prefer) return std::nullopt;
  std::size_t start = 0;
  const std::string_view header = *prefer;
  while (start <= header.size()) {
    const std::size_t comma = std::min(header.find_first_of(",;", start), header.size());
    const std::string_view preference = trim(header.substr(start, comma - start));
    const std::size_t equals = preference.find('=');
    if (equals != std::string_view::npos && iequals(trim(preference.substr(0, equals)), "wait")) {
      const auto seconds = parse_unsigned(trim(preference.substr(equals + 1)));
      if (!seconds) return std::nullopt;
      return std::chrono::seconds(std::min<std::uint64_t>(*seconds, kMaxLongPoll.count()));
    }
    start = comma + 1;
  }
  return std::nullopt;
}

bool is_valid_idempotency_key(std::string_view key) { return !key.empty() && key.size() <= 255; }

bool is_acceptable_correlation_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  });
}

std::string new_correlation_id() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 16; ++i, bits >>= 4) id.push_back(kHex[bits & 0xF]);
  }
  return id;
}

bool is_json_media_type(std::string_view content_type) {
  const std::string_view media = trim(content_type.substr(0, content_type.find(';')));
  return iequals(media, "application/json");
}

std::string version_etag(std::uint64_t version) {
  std::string etag = "\"";
  etag += std::to_string(version);
  etag += '"';
  return etag;
}

}  // namespace benefitd::http
