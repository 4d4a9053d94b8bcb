#include "adapters/cli/render.h"

#include <algorithm>
#include <cctype>
#include <ostream>

namespace benefitd::cli {

namespace {

using nlohmann::json;

/// Longer lists of scalars get a line per item.
constexpr std::size_t kLongestLine = 80;

bool all_scalars(const json& value) {
  return std::none_of(value.begin(), value.end(), [](const json& member) { return member.is_structured(); });
}

/// One table cell or one value on a line: strings as they are, lists of scalars joined by
/// ", ", objects of scalars as their values (an actor {"kind","userId"} as "user U-1").
std::string cell(const json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_structured() && all_scalars(value)) {
    std::string joined;
    for (const auto& member : value) joined += (joined.empty() ? "" : value.is_array() ? ", " : " ") + cell(member);
    return joined.empty() ? "(none)" : joined;
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> scalar_members(const json& item) {
  std::vector<std::string> names;
  if (!item.is_object()) return names;
  for (const auto& [name, value] : item.items())
    if (!value.is_structured()) names.push_back(name);
  return names;
}

void print_table(const std::vector<std::vector<std::string>>& rows, const std::string& indent, std::ostream& out) {
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  for (const auto& row : rows) {
    out << indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << "\n";
  }
}

void table_of(const json& items, const Columns& columns, const std::string& indent, std::ostream& out) {
  std::vector<std::vector<std::string>> rows{columns};
  for (const auto& item : items) {
    std::vector<std::string> row;
    for (const auto& column : columns)
      row.push_back(item.is_object() && item.contains(column) ? cell(item[column]) : "-");
    rows.push_back(std::move(row));
  }
  print_table(rows, indent, out);
}

/// Whether some item has a non-empty object or list member (that a table cell could not show).
bool nests_further(const json& items) {
  return std::any_of(items.begin(), items.end(), [](const json& item) {
    return item.is_object() && std::any_of(item.begin(), item.end(), [](const json& member) {
             return member.is_structured() && !member.empty();
           });
  });
}

void section(const json& object, const std::string& indent, const NestedColumns& nested, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& [name, value] : object.items()) width = std::max(width, name.size());
  for (const auto& [name, value] : object.items()) {
    const bool list_of_objects = value.is_array() && !value.empty() && value[0].is_object();
    if (value.is_object() && !value.empty()) {
      out << indent << name << ":\n";
      section(value, indent + "  ", {}, out);
    } else if (list_of_objects) {
      out << indent << name << ":\n";
      const auto wanted = nested.find(name);
      if (wanted != nested.end()) {
        table_of(value, wanted->second, indent + "  ", out);
      } else if (!nests_further(value)) {
        table_of(value, scalar_members(value[0]), indent + "  ", out);
      } else {
        for (std::size_t i = 0; i < value.size(); ++i) {
          out << indent << "  [" << i + 1 << "]\n";
          section(value[i], indent + "    ", {}, out);
        }
      }
    } else if (value.is_array() && cell(value).size() > kLongestLine) {
      out << indent << name << ":\n";
      for (const auto& item : value) out << indent << "  " << cell(item) << "\n";
    } else {
      out << indent << name << std::string(width - name.size() + 2, ' ') << cell(value) << "\n";
    }
  }
}

/// `text` with each whole-word occurrence of a field name replaced by its flag: "userId is
/// required" reads "--user is required", while "userIds" or "globalAdmin.userId" stay.
std::string with_names(std::string text, const FieldNames& names) {
  const auto word = [&text](std::size_t i) {
    return i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_');
  };
  for (const auto& [field, name] : names) {
    for (std::size_t at = text.find(field); at != std::string::npos; at = text.find(field, at)) {
      const std::size_t end = at + field.size();
      const bool starts_word = at == 0 || (!word(at - 1) && text[at - 1] != '.');
      const bool ends_word = !word(end) && !(end < text.size() && text[end] == '.' && word(end + 1));
      if (starts_word && ends_word) text.replace(at, field.size(), name);
      at += starts_word && ends_word ? name.size() : field.size();
    }
  }
  return text;
}

}  // namespace

void render_list(const json& list, const Columns& columns_wanted, std::ostream& out) {
  const json items = list.is_object() ? list.value("items", json::array()) : list;
  if (!items.is_array() || items.empty()) {
    out << "(none)\n";
  } else {
    table_of(items, columns_wanted.empty() ? scalar_members(items[0]) : columns_wanted, "", out);
  }
  if (list.is_object() && list.contains("nextCursor") && list["nextCursor"].is_string())
    out << "more: --cursor " << list["nextCursor"].get<std::string>() << "\n";
}

void render_object(const json& object, std::ostream& out, const NestedColumns& nested) {
  if (!object.is_object()) {
    out << cell(object) << "\n";
    return;
  }
  section(object, "", nested, out);
}

void render_operations(const json& openapi, std::ostream& out) {
  std::vector<std::vector<std::string>> rows{{"method", "path", "summary"}};
  if (openapi.is_object() && openapi.contains("paths") && openapi["paths"].is_object()) {
    for (const auto& [path, operations] : openapi["paths"].items()) {
      if (!operations.is_object()) continue;
      for (const auto& [method, operation] : operations.items()) {
        std::string upper = method;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        rows.push_back({upper, path, operation.is_object() ? operation.value("summary", std::string()) : ""});
      }
    }
  }
  print_table(rows, "", out);
}

void render_problem(int status, const json& problem, std::ostream& out, const FieldNames& names) {
  out << "error " << status;
  if (problem.is_object()) {
    out << " " << problem.value("code", std::string("?")) << ": "
        << with_names(problem.value("detail", std::string()), names);
    if (problem.contains("errors") && problem["errors"].is_array()) {
      for (const auto& error : problem["errors"]) {
        if (!error.is_object()) continue;
        const json field = error.value("field", json());
        const auto named = field.is_string() ? names.find(field.get<std::string>()) : names.end();
        out << "\n  " << (named != names.end() ? named->second : cell(field));
        if (error.contains("message")) out << ": " << with_names(cell(error["message"]), names);
        if (error.contains("allowed"))
          out << (error.contains("message") ? " " : ": ") << "one of " << cell(error["allowed"]);
      }
    }
  }
  out << "\n";
}

}  // namespace benefitd::cli
