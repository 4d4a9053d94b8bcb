#include "adapters/cli/offline_tools.h"

#include <unistd.h>

#include <future>
#include <iostream>
#include <memory>

#include "adapters/app/service.h"
#include "adapters/cli/render.h"

namespace benefitd::cli {

namespace {

std::unique_ptr<app::Service> open_offline(const std::filesystem::path& data_dir) {
  if (!std::filesystem::is_directory(data_dir)) {
    std::cerr << "benefitctl: no data dir at " << data_dir << "\n";
    return nullptr;
  }
  app::ServiceOptions options;
  options.data_dir = data_dir;
  options.offline = true;
  std::string error;
  auto service = app::open_service(options, &error);
  if (!service) std::cerr << "benefitctl: cannot open " << data_dir << " (is the server still running?): " << error << "\n";
  return service;
}

}  // namespace

int verify_offline(const std::filesystem::path& data_dir, const std::optional<std::string>& partner_id, bool json) {
  auto service = open_offline(data_dir);
  if (!service) return 2;
  std::promise<app::Outcome> verified;
  service->verify(workflows::Actor::operatorActor(), partner_id,
                  [&verified](app::Outcome outcome) { verified.set_value(std::move(outcome)); });
  const app::Outcome outcome = verified.get_future().get();
  if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
    std::cerr << "benefitctl: " << problem->code << ": " << problem->detail << "\n";
    return 2;
  }
  const auto& body = std::get<app::Reply>(outcome).body;
  if (json) std::cout << body.dump() << "\n";
  else render_object(body, std::cout);
  return body.value("ok", false) ? 0 : 1;
}

int export_offline(const std::filesystem::path& data_dir, const std::optional<std::string>& partner_id) {
  auto service = open_offline(data_dir);
  if (!service) return 2;
  const store::Status status = service->export_cloudevents(partner_id, std::cout);
  std::cout.flush();
  if (!status.is_ok()) {
    std::cerr << "benefitctl: export failed: " << status.message() << "\n";
    return 2;
  }
  return 0;
}

int rebuild_offline(const std::filesystem::path& data_dir) {
  auto service = open_offline(data_dir);
  if (!service) return 2;
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  std::uint64_t last_shown = 0;
  const store::Status status = service->rebuild_projections([&](std::uint64_t done, std::uint64_t total) {
    // One line, rewritten in place, about every 1% (and at the end).
    if (!terminal || (done != total && done - last_shown < std::max<std::uint64_t>(total / 100, 1))) return;
    last_shown = done;
    std::cerr << "\rrebuilding projections: " << done << " / " << total << " events" << std::flush;
  });
  if (terminal) std::cerr << "\n";
  if (!status.is_ok()) {
    std::cerr << "benefitctl: rebuild failed: " << status.message() << "\n";
    return 2;
  }
  std::cout << "projections rebuilt\n";
  return 0;
}

}  // namespace benefitd::cli
