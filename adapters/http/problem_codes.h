#pragma once
// The problem codes of API.md with their HTTP status and title: one table that the answers
// (problem.cpp) and the OpenAPI document (the `code` enum of each status) both read, so that a
// code cannot be answered without being documented.
// Thread safety: immutable data.

#include <span>
#include <string_view>

namespace benefitd::http {

struct ProblemCode {
  std::string_view code;
  int status;
  std::string_view title;
};

/// Every code, grouped by status in ascending order.
std::span<const ProblemCode> problem_codes();

}  // namespace benefitd::http
