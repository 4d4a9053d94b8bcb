#include "store/postgres/commit_announcement.h"

#include <algorithm>
#include <charconv>

namespace benefitd::store::postgres {

namespace {

constexpr std::string_view kAll = "all";
constexpr std::string_view kKeys = "keys";

/// A key a payload can carry on a line of its own: printable ASCII (valid in any server
/// encoding), so no newline.
bool announceable(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::string head(Position position, std::string_view writer, std::string_view kind) {
  return std::to_string(position) + " " + std::string(writer) + " " + std::string(kind);
}

}  // namespace

std::vector<std::string> announcement_payloads(Position position, std::string_view writer,
                                               const std::vector<std::string>* view_keys) {
  if (view_keys == nullptr) return {head(position, writer, kAll)};
  std::vector<std::string> keys = *view_keys;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  const std::string first_line = head(position, writer, kKeys);
  std::size_t total = 0;
  for (const std::string& key : keys) {
    total += key.size() + 1;
    // Also a key no payload can hold beside its first line.
    if (!announceable(key) || total > kMaxAnnouncedKeyBytes || first_line.size() + 1 + key.size() >= kMaxPayloadBytes) {
      return {head(position, writer, kAll)};
    }
  }
  std::vector<std::string> payloads{first_line};
  for (const std::string& key : keys) {
    if (payloads.back().size() + 1 + key.size() >= kMaxPayloadBytes) payloads.push_back(first_line);
    payloads.back() += '\n';
    payloads.back() += key;
  }
  return payloads;
}

std::optional<CommitAnnouncement> parse_announcement(std::string_view payload) {
  const std::size_t line_end = std::min(payload.find('\n'), payload.size());
  const std::string_view first = payload.substr(0, line_end);
  CommitAnnouncement announcement;
  const auto [end, error] = std::from_chars(first.data(), first.data() + first.size(), announcement.position);
  if (error != std::errc() || first.empty()) return std::nullopt;
  std::string_view rest = first.substr(static_cast<std::size_t>(end - first.data()));
  if (rest.empty()) return line_end == payload.size() ? std::optional(announcement) : std::nullopt;
  // " <writer> <kind>"
  if (rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(1);
  const std::size_t space = rest.find(' ');
  if (space == 0 || space == std::string_view::npos) return std::nullopt;
  announcement.writer = std::string(rest.substr(0, space));
  const std::string_view kind = rest.substr(space + 1);
  if (kind == kAll) return line_end == payload.size() ? std::optional(announcement) : std::nullopt;
  if (kind != kKeys) return std::nullopt;
  std::vector<std::string> keys;
  for (std::size_t at = line_end; at < payload.size();) {
    const std::size_t next = std::min(payload.find('\n', at + 1), payload.size());
    const std::string_view key = payload.substr(at + 1, next - at - 1);
    if (!announceable(key)) return std::nullopt;
    keys.emplace_back(key);
    at = next;
  }
  announcement.view_keys = std::move(keys);
  return announcement;
}

}  // namespace benefitd::store::postgres
