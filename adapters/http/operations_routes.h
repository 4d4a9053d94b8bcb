#pragma once
// The operator's operations routes (docs/http.md "Operations"): online backups
// (POST /v1/admin/backups, GET .../files/{fileName}?offset=&length=, DELETE) and notification
// dead letters (GET /v1/notifications?status=, POST /v1/notifications/{id}/retry), answered
// through app::Operations. Backups and file reads run on the Service's long-read threads,
// never on an I/O thread. Internal to the router, which has already authenticated the operator.
// Thread safety: as the router.

#include <memory>
#include <string>
#include <vector>

#include "adapters/app/service.h"
#include "adapters/http/exchange.h"
#include "adapters/http/request_target.h"
#include "adapters/http/routes.h"

namespace benefitd::http {

/// Answers `route` (one for which is_operations_route holds) to the operator.
void answer_operations(const std::shared_ptr<Exchange>& exchange, app::Service& service, const Route& route,
                       const std::vector<std::string>& params, const RequestTarget& target);

/// The operations' metrics for GET /metrics (empty when the Service has no operations).
std::string operations_metrics_text(app::Service& service);

}  // namespace benefitd::http
