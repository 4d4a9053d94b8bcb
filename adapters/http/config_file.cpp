#include "adapters/http/config_file.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

namespace benefitd::http {
namespace {

/// CLI11's TOML reader without the settings the environment gives: CLI11 applies the file
/// before the environment and the first value wins, which would rank the file above it.
class ConfigBelowEnvironment : public CLI::ConfigTOML {
 public:
  explicit ConfigBelowEnvironment(const CLI::App& app) : app_(app) {}

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    std::vector<CLI::ConfigItem> items = CLI::ConfigTOML::from_config(input);
    std::erase_if(items, [this](const CLI::ConfigItem& item) { return set_by_environment(item); });
    return items;
  }

 private:
  bool set_by_environment(const CLI::ConfigItem& item) const {
    if (!item.parents.empty()) return false;
    const CLI::Option* option = app_.get_option_no_throw("--" + item.name);
    if (option == nullptr || option->get_envname().empty()) return false;
    const char* value = std::getenv(option->get_envname().c_str());
    // CLI11 ignores an empty variable, so an empty one leaves the file's value in force.
    return value != nullptr && *value != '\0';
  }

  const CLI::App& app_;
};

}  // namespace

std::string environment_name(const std::string& long_name) {
  std::string name = "BENEFITD_";
  for (const char c : long_name.substr(long_name.find_first_not_of('-')))
    name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return name;
}

void read_environment_and_config_file(CLI::App& app, const std::string& default_file) {
  const CLI::Option* help = app.get_help_ptr();
  const CLI::Option* version = app.get_option_no_throw("--version");
  for (CLI::Option* option : app.get_options()) {
    if (option == help || option == version || option->get_lnames().empty() || !option->get_envname().empty())
      continue;
    option->envname(environment_name("--" + option->get_lnames().front()));
  }
  app.config_formatter(std::make_shared<ConfigBelowEnvironment>(app));
  // A misspelt setting is refused rather than silently ignored (CLI11's default).
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.set_config("--config", default_file,
                 "Read settings from this file (flags and BENEFITD_* variables win over it)")
      ->type_name("FILE");
}

}  // namespace benefitd::http
