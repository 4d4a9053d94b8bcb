#pragma once
// The operator token's rules (docs/http.md): read from --operator-token-file when given, and
// refused when it is too short to resist guessing or holds whitespace (a token pasted with a
// stray space or line break would otherwise work in one client and fail in the next).
// Thread safety: pure functions.

#include <filesystem>
#include <optional>
#include <string>

namespace benefitd::http {

inline constexpr std::size_t kMinOperatorTokenLength = 16;

/// Why `token` cannot be the operator token, or nullopt when it can.
std::optional<std::string> operator_token_problem(const std::string& token);

/// The token held in `path`: the file's content without one trailing line break. Sets `error`
/// and answers nullopt when the file cannot be read.
std::optional<std::string> read_operator_token_file(const std::filesystem::path& path, std::string* error);

}  // namespace benefitd::http
