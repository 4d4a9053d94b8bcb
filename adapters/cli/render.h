#pragma once
// Rendering API answers for people: lists as aligned tables with chosen columns, single
// resources as "field  value" lines, problems as one error line. Scripts use --json instead.
// Thread safety: pure functions.

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace benefitd::cli {

/// A list answer ({"items": [...], "nextCursor"}) as a table of `columns` (all scalar members
/// of the first item when empty), followed by the next cursor when there is one.
void render_list(const nlohmann::json& list, const std::vector<std::string>& columns, std::ostream& out);

/// One resource: each member on its own line; nested values as compact JSON.
void render_object(const nlohmann::json& object, std::ostream& out);

/// A problem+json answer as "error STATUS code: detail" plus its field errors.
void render_problem(int status, const nlohmann::json& problem, std::ostream& out);

}  // namespace benefitd::cli
