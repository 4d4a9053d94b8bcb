#include "adapters/http/long_polls.h"

#include <vector>

#include "adapters/http/exchange.h"

namespace benefitd::http {

HttpResponse not_modified(const std::string& etag) {
  HttpResponse response;
  response.status = 304;
  response.set_header("ETag", etag);
  return response;
}

bool LongPolls::enter(const std::shared_ptr<Exchange>& exchange, const std::string& etag) {
  const std::scoped_lock lock(mutex_);
  if (released_) return false;
  waiting_.insert_or_assign(exchange.get(), std::pair{std::weak_ptr<Exchange>(exchange), etag});
  return true;
}

void LongPolls::leave(const Exchange* exchange) {
  const std::scoped_lock lock(mutex_);
  waiting_.erase(exchange);
}

void LongPolls::release() {
  std::vector<std::pair<std::shared_ptr<Exchange>, std::string>> answered;
  {
    const std::scoped_lock lock(mutex_);
    released_ = true;
    for (auto& [key, entry] : waiting_)
      if (auto exchange = entry.first.lock()) answered.emplace_back(std::move(exchange), std::move(entry.second));
    waiting_.clear();
  }
  // Outside the lock: finishing hands the answer to a session, which must not wait on us.
  for (auto& [exchange, etag] : answered) exchange->finish(not_modified(etag));
}

void LongPolls::count_rerun() {
  const std::scoped_lock lock(mutex_);
  ++reruns_;
}

std::string LongPolls::metrics_text() const {
  const std::scoped_lock lock(mutex_);
  return "# HELP benefitd_long_polls_waiting Long-polls waiting for a view they read to change.\n"
         "# TYPE benefitd_long_polls_waiting gauge\n"
         "benefitd_long_polls_waiting " + std::to_string(waiting_.size()) + "\n"
         "# HELP benefitd_long_poll_reruns_total Times a waiting long-poll ran its query again.\n"
         "# TYPE benefitd_long_poll_reruns_total counter\n"
         "benefitd_long_poll_reruns_total " + std::to_string(reruns_) + "\n";
}

}  // namespace benefitd::http
