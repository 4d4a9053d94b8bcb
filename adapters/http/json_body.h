#pragma once
// Reading request bodies: parsing JSON safely (UTF-8 checked, nesting bounded) and reading
// typed fields into command values while collecting every field error, so that one
// `invalid-request` problem lists them all (API.md: the `errors` member).
// Thread safety: a FieldReader is used by one request at a time; the functions are pure.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/app/service.h"
#include "workflows/names.h"
#include "workflows/time.h"

namespace benefitd::http {

/// Deeper JSON than this is refused before parsing: nobody needs it and it costs stack.
inline constexpr std::size_t kMaxJsonDepth = 32;
/// Default longest accepted string field, in bytes.
inline constexpr std::size_t kMaxFieldLength = 1000;

/// The body as a JSON object; an empty body reads as {}. Malformed JSON, invalid UTF-8,
/// excessive nesting or a non-object gives an `invalid-request` problem.
std::variant<nlohmann::json, app::Problem> parse_json_object(std::string_view body);

/// The deepest nesting of arrays and objects in `text` (strings are skipped); stops counting
/// beyond `limit`.
std::size_t json_nesting_depth(std::string_view text, std::size_t limit);

class FieldReader {
 public:
  /// `object` must outlive the reader.
  explicit FieldReader(const nlohmann::json& object);
  /// A reader of a nested object whose errors, named with `prefix` ("globalAdmin."), go to
  /// `parent`; the parent must outlive it.
  FieldReader(const nlohmann::json& object, std::string prefix, FieldReader& parent);
  FieldReader(const FieldReader&) = delete;
  FieldReader& operator=(const FieldReader&) = delete;

  /// A non-empty string without control characters (tab and newlines allowed in long text).
  std::string required_string(std::string_view name, std::size_t max_length = kMaxFieldLength);
  std::optional<std::string> optional_string(std::string_view name,
                                             std::size_t max_length = kMaxFieldLength);
  /// Text people read (a name, a display name, a summary): a required string with the white
  /// space around it trimmed, refused when nothing else is left.
  std::string required_text(std::string_view name, std::size_t max_length = kMaxFieldLength);
  /// A string that must be one of `choices`.
  std::string required_choice(std::string_view name, std::initializer_list<std::string_view> choices);
  std::optional<std::string> optional_choice(std::string_view name,
                                             std::initializer_list<std::string_view> choices);
  /// An integer (no fraction, no string) within [min, max].
  std::optional<std::int64_t> optional_integer(std::string_view name, std::int64_t min, std::int64_t max);
  /// An RFC 3339 UTC time with `Z`.
  std::optional<workflows::Time> optional_time(std::string_view name);
  /// An array of role names (may be empty); duplicates collapse.
  std::vector<workflows::Role> required_roles(std::string_view name);
  /// A nested object; nullptr (with an error) when absent or not an object.
  const nlohmann::json* required_object(std::string_view name);

  void add_error(std::string_view field, std::string_view message);
  bool ok() const { return errors_->empty(); }
  /// The `invalid-request` problem listing every error so far.
  app::Problem problem() const;

 private:
  const nlohmann::json* find(std::string_view name) const;
  std::optional<std::string> read_string(std::string_view name, std::size_t max_length, bool required);
  std::string field(std::string_view name) const { return prefix_ + std::string(name); }

  const nlohmann::json& object_;
  std::string prefix_;
  nlohmann::json own_errors_ = nlohmann::json::array();
  nlohmann::json* errors_;  // own_errors_, or the parent's
};

}  // namespace benefitd::http
