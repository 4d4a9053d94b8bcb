#include "adapters/cli/render.h"

#include <algorithm>
#include <ostream>

namespace benefitd::cli {

namespace {

std::string cell(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> scalar_members(const nlohmann::json& item) {
  std::vector<std::string> names;
  if (!item.is_object()) return names;
  for (const auto& [name, value] : item.items())
    if (!value.is_structured()) names.push_back(name);
  return names;
}

}  // namespace

void render_list(const nlohmann::json& list, const std::vector<std::string>& columns_wanted, std::ostream& out) {
  const nlohmann::json items = list.is_object() ? list.value("items", nlohmann::json::array()) : list;
  if (!items.is_array() || items.empty()) {
    out << "(none)\n";
    return;
  }
  const std::vector<std::string> columns = columns_wanted.empty() ? scalar_members(items[0]) : columns_wanted;
  std::vector<std::vector<std::string>> rows;
  rows.push_back(columns);
  for (const auto& item : items) {
    std::vector<std::string> row;
    for (const auto& column : columns) row.push_back(item.is_object() && item.contains(column) ? cell(item[column]) : "-");
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(columns.size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << "\n";
  }
  if (list.is_object() && list.contains("nextCursor") && list["nextCursor"].is_string())
    out << "next cursor: " << list["nextCursor"].get<std::string>() << "\n";
}

void render_object(const nlohmann::json& object, std::ostream& out) {
  if (!object.is_object()) {
    out << cell(object) << "\n";
    return;
  }
  std::size_t width = 0;
  for (const auto& [name, value] : object.items()) width = std::max(width, name.size());
  for (const auto& [name, value] : object.items()) out << name << std::string(width - name.size() + 2, ' ') << cell(value) << "\n";
}

void render_problem(int status, const nlohmann::json& problem, std::ostream& out) {
  out << "error " << status;
  if (problem.is_object()) {
    out << " " << problem.value("code", std::string("?")) << ": " << problem.value("detail", std::string());
    if (problem.contains("errors") && problem["errors"].is_array())
      for (const auto& error : problem["errors"])
        out << "\n  " << cell(error.value("field", nlohmann::json())) << ": " << cell(error.value("message", nlohmann::json()));
  }
  out << "\n";
}

}  // namespace benefitd::cli
