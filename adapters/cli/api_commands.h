#pragma once
// benefitctl's online subcommands: one per endpoint of API.md, each turning its arguments into
// the HTTP call and saying how to show the answer. Registered on a CLI11 app; after parsing,
// chosen() builds the call of the subcommand that was given.
// Thread safety: one thread (it holds the option values CLI11 writes into).

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace benefitd::cli {

struct ApiCall {
  std::string method, target;
  std::optional<nlohmann::json> body;
  bool list = false;                 // a list answer: shown as a table
  std::vector<std::string> columns;  // the table's columns (all scalars when empty)
  bool text = false;                 // a plain-text answer (metrics)
};

class ApiCommands {
 public:
  /// Adds the subcommands to `app`. `audit` and its `verify` are created by the caller, who
  /// decides between the online and offline forms of audit verify.
  ApiCommands(CLI::App& app, CLI::App& audit);

  /// The call of the subcommand given on the command line, if one of these was.
  std::optional<ApiCall> chosen() const;
  /// POST /v1/audit/verify for an optional partner.
  static ApiCall verify_call(const std::string& partner_id);

 private:
  using Build = std::function<ApiCall()>;
  CLI::App* command(CLI::App& parent, const std::string& name, const std::string& description, Build build);
  std::string& positional(CLI::App* command, const std::string& name, const std::string& description);
  std::string& option(CLI::App* command, const std::string& flag, const std::string& description,
                      bool required = false);
  std::vector<std::string>& list_option(CLI::App* command, const std::string& flag, const std::string& description);

  std::vector<std::pair<CLI::App*, Build>> commands_;
  std::deque<std::string> strings_;  // deque: references stay valid as it grows
  std::deque<std::vector<std::string>> lists_;
};

/// Percent-encodes a query parameter value.
std::string url_encode(const std::string& value);

}  // namespace benefitd::cli
