#pragma once
// benefitd's settings from three places, as operators expect of a Debian service
// (docs/operations.md "Configuration"): every long option FLAG is also read from the
// environment variable BENEFITD_FLAG (dashes as underscores, upper case) and from a config file
// (CLI11's TOML-style format, `flag = "value"`), the file named by --config or, when that is
// not given, kDefaultConfigFile if it exists; a key that names no flag is an error. A flag on
// the command line wins over the environment, which wins over the file. CLI11 reads its config
// file before the environment and lets the first source win, so the file's reader here leaves
// out every setting whose environment variable is set.
// Thread safety: call before parsing, from the thread that parses.

#include <string>

#include <CLI/CLI.hpp>

namespace benefitd::http {

inline constexpr const char* kDefaultConfigFile = "/etc/benefitd/benefitd.conf";

/// The environment variable that sets `long_name` ("--data-dir" -> "BENEFITD_DATA_DIR").
std::string environment_name(const std::string& long_name);

/// Gives every long option of `app` added so far (but --help, --version and the config option)
/// its environment variable, unless it has one, and adds --config with `default_file`.
void read_environment_and_config_file(CLI::App& app, const std::string& default_file = kDefaultConfigFile);

}  // namespace benefitd::http
