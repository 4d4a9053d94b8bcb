#include "adapters/http/operator_token.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace benefitd::http {

std::optional<std::string> operator_token_problem(const std::string& token) {
  if (token.size() < kMinOperatorTokenLength)
    return "the operator token must be at least " + std::to_string(kMinOperatorTokenLength) + " characters";
  if (std::any_of(token.begin(), token.end(), [](unsigned char c) { return std::isspace(c) != 0; }))
    return "the operator token must not contain whitespace";
  return std::nullopt;
}

std::optional<std::string> read_operator_token_file(const std::filesystem::path& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path.string();
    return std::nullopt;
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string token = content.str();
  // Editors and `echo` end a file with a line break; it is not part of the token.
  if (token.ends_with("\r\n")) {
    token.resize(token.size() - 2);
  } else if (token.ends_with('\n')) {
    token.pop_back();
  }
  return token;
}

}  // namespace benefitd::http
