#include "adapters/http/json_body.h"

#include <algorithm>
#include <limits>

namespace benefitd::http {

namespace {

app::Problem invalid(std::string detail) {
  return app::Problem{"invalid-request", std::move(detail), nlohmann::json::object()};
}

bool has_control_characters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f;
  });
}

std::string choice_list(std::initializer_list<std::string_view> choices) {
  std::string text;
  for (std::string_view choice : choices) {
    if (!text.empty()) text += ", ";
    text += choice;
  }
  return text;
}

}  // namespace

std::size_t json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::variant<nlohmann::json, app::Problem> parse_json_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return nlohmann::json::object();
  if (json_nesting_depth(body, kMaxJsonDepth) > kMaxJsonDepth)
    return invalid("the body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  // The parser checks UTF-8 inside strings; without exceptions a failure is `discarded`.
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return invalid("the body is not well-formed JSON (UTF-8)");
  if (!parsed.is_object()) return invalid("the body must be a JSON object");
  return parsed;
}

FieldReader::FieldReader(const nlohmann::json& object) : object_(object), errors_(&own_errors_) {}

FieldReader::FieldReader(const nlohmann::json& object, std::string prefix, FieldReader& parent)
    : object_(object), prefix_(std::move(prefix)), errors_(parent.errors_) {}

const nlohmann::json* FieldReader::find(std::string_view name) const {
  if (!object_.is_object()) return nullptr;
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

void FieldReader::add_error(std::string_view field_name, std::string_view message) {
  errors_->push_back({{"field", field_name}, {"message", message}});
}

app::Problem FieldReader::problem() const {
  std::string detail = "the request has invalid fields:";
  for (const auto& error : *errors_) {
    detail.append(" ").append(error["field"].get<std::string>());
    detail.append(" (").append(error["message"].get<std::string>()).append(");");
  }
  detail.pop_back();
  return app::Problem{"invalid-request", detail, {{"errors", *errors_}}};
}

std::optional<std::string> FieldReader::read_string(std::string_view name, std::size_t max_length,
                                                    bool required) {
  const nlohmann::json* value = find(name);
  if (value == nullptr) {
    if (required) add_error(field(name), "is required");
    return std::nullopt;
  }
  if (!value->is_string()) {
    add_error(field(name), "must be a string");
    return std::nullopt;
  }
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty()) {
    add_error(field(name), "must not be empty");
    return std::nullopt;
  }
  if (text.size() > max_length) {
    add_error(field(name), "must be at most " + std::to_string(max_length) + " bytes long");
    return std::nullopt;
  }
  if (has_control_characters(text)) {
    add_error(field(name), "must not contain control characters");
    return std::nullopt;
  }
  return text;
}

std::string FieldReader::required_string(std::string_view name, std::size_t max_length) {
  return read_string(name, max_length, true).value_or("");
}

std::string FieldReader::required_text(std::string_view name, std::size_t max_length) {
  const std::optional<std::string> text = read_string(name, max_length, true);
  if (!text) return "";
  constexpr std::string_view kWhiteSpace = " \t\r\n\v\f";
  const std::size_t first = text->find_first_not_of(kWhiteSpace);
  if (first == std::string::npos) {
    add_error(field(name), "must not be empty or only white space");
    return "";
  }
  return text->substr(first, text->find_last_not_of(kWhiteSpace) - first + 1);
}

std::optional<std::string> FieldReader::optional_string(std::string_view name, std::size_t max_length) {
  return read_string(name, max_length, false);
}

std::optional<std::string> FieldReader::optional_choice(std::string_view name,
                                                        std::initializer_list<std::string_view> choices) {
  std::optional<std::string> text = read_string(name, kMaxFieldLength, false);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
    add_error(field(name), "must be one of " + choice_list(choices));
    return std::nullopt;
  }
  return text;
}

std::string FieldReader::required_choice(std::string_view name,
                                         std::initializer_list<std::string_view> choices) {
  if (find(name) == nullptr) {
    add_error(field(name), "is required");
    return "";
  }
  return optional_choice(name, choices).value_or("");
}

std::optional<std::int64_t> FieldReader::optional_integer(std::string_view name, std::int64_t min,
                                                          std::int64_t max) {
  const nlohmann::json* value = find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) {
    add_error(field(name), "must be an integer");
    return std::nullopt;
  }
  // Integers beyond int64 arrive as unsigned; they are out of any range asked for here.
  std::optional<std::int64_t> number;
  if (!value->is_number_unsigned()) number = value->get<std::int64_t>();
  else if (value->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    number = static_cast<std::int64_t>(value->get<std::uint64_t>());
  if (!number || *number < min || *number > max) {
    add_error(field(name), "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<workflows::Time> FieldReader::optional_time(std::string_view name) {
  std::optional<std::string> text = read_string(name, 64, false);
  if (!text) return std::nullopt;
  std::optional<workflows::Time> time = workflows::parseTime(*text);
  if (!time) add_error(field(name), "must be an RFC 3339 UTC time such as 2026-01-05T09:00:00Z");
  return time;
}

std::vector<workflows::Role> FieldReader::required_roles(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (value == nullptr) {
    add_error(field(name), "is required");
    return {};
  }
  if (!value->is_array()) {
    add_error(field(name), "must be an array of role names");
    return {};
  }
  std::vector<workflows::Role> roles;
  for (const auto& element : *value) {
    std::optional<workflows::Role> role;
    if (element.is_string()) role = workflows::parseRole(element.get_ref<const std::string&>());
    if (!role) {
      add_error(field(name), "must hold only global-admin, user-admin, admin-agent or mpn-partner-admin");
      return {};
    }
    roles.push_back(*role);
  }
  return workflows::normalizedRoles(std::move(roles));
}

const nlohmann::json* FieldReader::required_object(std::string_view name) {
  const nlohmann::json* value = find(name);
  if (value == nullptr) {
    add_error(field(name), "is required");
    return nullptr;
  }
  if (!value->is_object()) {
    add_error(field(name), "must be an object");
    return nullptr;
  }
  return value;
}

}  // namespace benefitd::http
