#include "adapters/http/service_manager.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <system_error>

namespace benefitd::http {

// sd_notify returns 0 without NOTIFY_SOCKET and a negative errno when the manager cannot be
// reached; neither is a reason to stop serving, so the result is not used.
void notify_ready() { sd_notify(0, "READY=1\nSTATUS=serving"); }

void notify_stopping() { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

std::optional<std::filesystem::path> credential_file(const std::string& name) {
  const char* directory = std::getenv("CREDENTIALS_DIRECTORY");
  if (directory == nullptr || *directory == '\0') return std::nullopt;
  std::filesystem::path path = std::filesystem::path(directory) / name;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return std::nullopt;
  return path;
}

}  // namespace benefitd::http
