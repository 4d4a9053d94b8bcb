#pragma once
// Rendering API answers for people: lists as aligned tables with chosen columns, single
// resources as "field  value" lines with nested objects as indented sections and nested lists
// as indented tables, problems as an error line that names benefitctl's flags. Scripts use
// --json instead.
// Thread safety: pure functions.

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace benefitd::cli {

/// Columns for tables: a list answer's, or a nested list member's (by member name).
using Columns = std::vector<std::string>;
using NestedColumns = std::map<std::string, Columns>;
/// API field name -> what the person typed for it ("userId" -> "--user").
using FieldNames = std::map<std::string, std::string>;

/// A list answer ({"items": [...], "nextCursor"}) as a table of `columns` (all scalar members
/// of the first item when empty), followed by "more: --cursor C" when there is a next page.
void render_list(const nlohmann::json& list, const Columns& columns, std::ostream& out);

/// One resource, a member per line. Nested objects are indented sections; lists of objects
/// are indented tables (of `nested[member]` when given, else of their scalar members) or,
/// when their items nest further, one indented section per item; lists of scalars are joined
/// (an item per indented line when that is long).
void render_object(const nlohmann::json& object, std::ostream& out, const NestedColumns& nested = {});

/// An OpenAPI document as a table of its operations (method, path, summary).
void render_operations(const nlohmann::json& openapi, std::ostream& out);

/// A problem+json answer as "error STATUS code: detail" plus its field errors (with the
/// allowed values when the server lists them); API field names are replaced by `names`.
void render_problem(int status, const nlohmann::json& problem, std::ostream& out, const FieldNames& names = {});

}  // namespace benefitd::cli
