#pragma once
// What systemd hands a service it runs (docs/operations.md "The service"), for benefitd's unit
// (packaging/systemd/benefitd.service):
// - Type=notify: notify_ready() once the listener accepts connections and notify_stopping()
//   when the server stops, through sd_notify(3). Both do nothing when NOTIFY_SOCKET is unset
//   (benefitd run by hand, by tests, or by another supervisor).
// - LoadCredential=: credential_file(name) is the file systemd placed under
//   $CREDENTIALS_DIRECTORY, readable only by the service, or nullopt when there is none.
// Thread safety: any thread.

#include <filesystem>
#include <optional>
#include <string>

namespace benefitd::http {

void notify_ready();
void notify_stopping();

std::optional<std::filesystem::path> credential_file(const std::string& name);

}  // namespace benefitd::http
