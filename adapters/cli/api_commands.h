#pragma once
// benefitctl's online subcommands: one per endpoint of API.md, each turning its arguments into
// the HTTP call and saying how to show the answer, and each with help that says what it does,
// who may use it and an example. Registered on a CLI11 app; after parsing, chosen() builds the
// call of the subcommand that was given (watch_chosen() the `benefits watch` request).
// Thread safety: one thread (it holds the option values CLI11 writes into).

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "adapters/cli/render.h"

namespace benefitd::cli {

/// How an answer is shown to people (--json always prints the server's JSON).
enum class Shape {
  object,     // "field  value" lines, nested values indented
  list,       // a table
  text,       // the body as it is (metrics)
  operations  // an OpenAPI document as a table of its operations
};

struct ApiCall {
  std::string method, target;
  std::optional<nlohmann::json> body;
  Shape shape = Shape::object;
  Columns columns;       // list: the table's columns (all scalars when empty)
  NestedColumns nested;  // object: the columns of nested lists
  FieldNames names;      // the API fields this command sets -> the flag or argument setting them
};

/// `benefits watch`: follow a benefit until it is terminal (or reaches `until`).
struct WatchRequest {
  std::string benefit_id;
  std::string until;  // a status to stop at as well; empty: only terminal ones
  std::int64_t wait_seconds = 30;
};

/// What a subcommand's help says besides its options.
struct Help {
  std::string what;     // one sentence: what it does
  std::string who;      // which callers may use it
  std::string example;  // one command line, after "benefitctl "
};

class ApiCommands {
 public:
  /// Adds the subcommands to `app`. `audit` and its `verify` are created by the caller, who
  /// decides between the online and offline forms of audit verify.
  ApiCommands(CLI::App& app, CLI::App& audit);

  /// The call of the subcommand given on the command line, if one of these was.
  std::optional<ApiCall> chosen() const;
  /// The watch request, when `benefits watch` was given.
  std::optional<WatchRequest> watch_chosen() const;
  /// POST /v1/audit/verify for an optional partner.
  static ApiCall verify_call(const std::string& partner_id);

 private:
  using Build = std::function<ApiCall()>;
  struct Command {
    CLI::App* app;
    Build build;
    FieldNames names;
  };
  CLI::App* command(CLI::App& parent, const std::string& name, const std::string& endpoint, const Help& help,
                    Build build = {});
  std::string& positional(CLI::App* command, const std::string& name, const std::string& description,
                          const std::string& field = "");
  std::string& option(CLI::App* command, const std::string& flag, const std::string& description, bool required = false,
                      const std::string& field = "");
  std::string& number_option(CLI::App* command, const std::string& flag, const std::string& description,
                             const CLI::Validator& check, const std::string& field = "");
  std::vector<std::string>& list_option(CLI::App* command, const std::string& flag, const std::string& description,
                                        const std::string& field = "");
  /// --limit and --cursor, as every list has them.
  std::pair<std::string&, std::string&> paging(CLI::App* command);

  std::vector<Command> commands_;
  std::deque<std::string> strings_;  // deque: references stay valid as it grows
  std::deque<std::vector<std::string>> lists_;
  CLI::App* watch_ = nullptr;
  WatchRequest watch_request_;
};

/// Percent-encodes a query parameter value.
std::string url_encode(const std::string& value);

}  // namespace benefitd::cli
