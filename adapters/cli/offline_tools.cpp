#include "adapters/cli/offline_tools.h"

#include <future>
#include <iostream>
#include <memory>

#include "adapters/app/pass_progress.h"
#include "adapters/app/service.h"
#include "adapters/cli/render.h"
#include "store/postgres/postgres_event_store.h"

namespace benefitd::cli {

std::unique_ptr<app::Service> open_offline(const OfflineStore& where) {
  app::ServiceOptions options;
  options.offline = true;  // nothing is written beside the store
  if (!where.conninfo.empty()) {
    options.open_store = store::PostgresEventStore::opener({.conninfo = where.conninfo});
  } else if (!std::filesystem::is_directory(where.data_dir)) {
    std::cerr << "benefitctl: no data dir at " << where.data_dir << "\n";
    return nullptr;
  } else {
    options.data_dir = where.data_dir;
  }
  std::string error;
  auto service = app::open_service(options, &error);
  if (!service) std::cerr << "benefitctl: cannot open the store (is a server still running on it?): " << error << "\n";
  return service;
}

int verify_offline(const OfflineStore& where, const std::optional<std::string>& partner_id, bool json, bool quiet) {
  auto service = open_offline(where);
  if (!service) return 2;
  app::PassProgress progress = app::PassProgress::on_stderr("verifying the log", quiet);
  std::promise<app::Outcome> verified;
  service->verify(
      workflows::Actor::operatorActor(), partner_id,
      [&verified](app::Outcome outcome) { verified.set_value(std::move(outcome)); }, progress.report());
  const app::Outcome outcome = verified.get_future().get();
  progress.finish();
  if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
    std::cerr << "benefitctl: " << problem->code << ": " << problem->detail << "\n";
    return 2;
  }
  const auto& body = std::get<app::Reply>(outcome).body;
  if (json) std::cout << body.dump() << "\n";
  else render_object(body, std::cout);
  return body.value("ok", false) ? 0 : 1;
}

int export_offline(const OfflineStore& where, const app::ExportFilter& filter, bool quiet) {
  auto service = open_offline(where);
  if (!service) return 2;
  app::PassProgress progress = app::PassProgress::on_stderr("exporting the log", quiet);
  const store::Status status = service->export_cloudevents(filter, std::cout, progress.report());
  std::cout.flush();
  progress.finish();
  if (!status.is_ok()) {
    std::cerr << "benefitctl: export failed: " << status.message() << "\n";
    return 2;
  }
  return 0;
}

int rebuild_offline(const OfflineStore& where, bool quiet) {
  auto service = open_offline(where);
  if (!service) return 2;
  app::PassProgress progress = app::PassProgress::on_stderr("rebuilding the views", quiet);
  const store::Status status = service->rebuild_projections(progress.report());
  progress.finish();
  if (!status.is_ok()) {
    std::cerr << "benefitctl: rebuild failed: " << status.message() << "\n";
    return 2;
  }
  std::cout << "projections rebuilt\n";
  return 0;
}

}  // namespace benefitd::cli
