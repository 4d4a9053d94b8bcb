#include "adapters/notify/notifier.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

namespace benefitd::notify {

namespace {

// Even with nothing to wake it, the notifier looks at the outbox this often.
constexpr auto kIdleWait = std::chrono::seconds(5);

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  ::gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

void counter(std::string& text, std::string_view name, std::string_view help, std::uint64_t value,
             std::string_view type = "counter") {
  text.append("# HELP ").append(name).append(" ").append(help).append("\n");
  text.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  text.append(name).append(" ").append(std::to_string(value)).append("\n");
}

}  // namespace

Notifier::Notifier(store::EventStore& store, Sink sink, NotifierOptions options, const store::Lease& lease)
    : store_(store), sink_(std::move(sink)), options_(options), lease_(lease) {}

Notifier::~Notifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Notifier::start() { thread_ = std::thread([this] { run(); }); }

void Notifier::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

store::Status Notifier::deliver_pending(std::size_t* delivered) {
  std::lock_guard delivery(delivery_mutex_);
  *delivered = 0;
  for (;;) {
    std::vector<store::KeyValue> rows;
    if (store::Status status = store_.scan(store::Table::outbox, "", "", 100, &rows); !status.is_ok()) {
      return status;
    }
    if (rows.empty()) return store::Status::ok();
    for (const store::KeyValue& row : rows) {
      const auto notification = nlohmann::json::parse(row.value, nullptr, false);
      // An unreadable row can never be delivered; dropping it keeps the rest flowing.
      if (!notification.is_discarded() && !sink_(notification)) {
        ++failed_attempts_;
        if (head_key_ != row.key) {
          head_key_ = row.key;
          head_attempts_ = 0;
        }
        if (++head_attempts_ < std::max<std::uint32_t>(options_.max_attempts, 1)) {
          return store::Status::io_error("the notification sink did not take " + row.key);
        }
        if (store::Status status = park(row, notification, head_attempts_); !status.is_ok()) return status;
        head_key_.clear();
        head_attempts_ = 0;
        continue;
      }
      store::WriteRequest erase;
      erase.writes.push_back(store::KeyedWrite::erase(store::Table::outbox, row.key));
      if (store::Status status = store_.append(std::move(erase)).status; !status.is_ok()) return status;
      head_key_.clear();
      head_attempts_ = 0;
      if (!notification.is_discarded()) {
        ++delivered_;
        ++*delivered;
      }
    }
  }
}

store::Status Notifier::park(const store::KeyValue& row, const nlohmann::json& notification, std::uint32_t attempts) {
  const std::string id = notification.value("id", "");
  if (id.empty()) return store::Status::corruption("the outbox row " + row.key + " has no notification id");
  const nlohmann::json letter = {
      {"notification", notification}, {"outboxKey", row.key}, {"attempts", attempts}, {"failedAt", utc_now()}};
  store::WriteRequest move;
  move.writes.push_back(store::KeyedWrite::erase(store::Table::outbox, row.key));
  move.writes.push_back(store::KeyedWrite::put(store::Table::dead_letters, id, letter.dump()));
  if (store::Status status = store_.append(std::move(move)).status; !status.is_ok()) return status;
  ++parked_;
  return store::Status::ok();
}

store::Status Notifier::retry(std::string_view id, bool* found) {
  std::lock_guard lock(retry_mutex_);
  *found = false;
  std::optional<std::string> stored;
  if (store::Status status = store_.get(store::Table::dead_letters, id, &stored); !status.is_ok()) return status;
  if (!stored) return store::Status::ok();
  const auto letter = nlohmann::json::parse(*stored, nullptr, false);
  if (letter.is_discarded() || !letter.contains("notification") || !letter["outboxKey"].is_string()) {
    return store::Status::corruption("the dead letter " + std::string(id) + " does not decode");
  }
  store::WriteRequest move;
  move.writes.push_back(store::KeyedWrite::erase(store::Table::dead_letters, std::string(id)));
  move.writes.push_back(
      store::KeyedWrite::put(store::Table::outbox, letter["outboxKey"].get<std::string>(), letter["notification"].dump()));
  if (store::Status status = store_.append(std::move(move)).status; !status.is_ok()) return status;
  *found = true;
  ++retried_;
  wake();
  return store::Status::ok();
}

std::chrono::milliseconds Notifier::retry_delay(std::uint32_t attempts) {
  auto delay = options_.first_retry;
  for (std::uint32_t i = 1; i < attempts && delay < options_.max_retry; ++i) delay *= 2;
  delay = std::min(delay, options_.max_retry);
  std::uniform_int_distribution<std::int64_t> jitter(delay.count() / 2, delay.count());
  return std::chrono::milliseconds(jitter(jitter_));
}

void Notifier::run() {
  for (;;) {
    if (!lease_.held()) {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, store::kLeasePoll, [this] { return stopping_; })) return;
      continue;
    }
    std::size_t delivered = 0;
    const bool ok = deliver_pending(&delivered).is_ok();
    std::uint32_t attempts = 0;
    {
      std::lock_guard delivery(delivery_mutex_);
      attempts = head_attempts_;
    }
    std::unique_lock lock(mutex_);
    if (ok) {
      wake_.wait_for(lock, lease_.shared() ? store::kLeasePoll : kIdleWait, [this] { return stopping_ || woken_; });
    } else {
      // New notifications queue behind the failing one: waking early would only spend its
      // attempts faster.
      wake_.wait_for(lock, retry_delay(std::max<std::uint32_t>(attempts, 1)), [this] { return stopping_; });
    }
    if (stopping_) return;
    woken_ = false;
  }
}

std::string Notifier::metrics_text() const {
  std::string text;
  counter(text, "benefitd_notifications_delivered_total", "Notifications the sink (spool or webhook) took.",
          delivered_.load());
  counter(text, "benefitd_notification_attempts_failed_total",
          "Delivery attempts that failed (an error answer, no answer); each is retried with back-off.",
          failed_attempts_.load());
  counter(text, "benefitd_notifications_dead_lettered_total",
          "Notifications parked in the dead letters after their last failed attempt.", parked_.load());
  counter(text, "benefitd_notifications_retried_total", "Dead letters the operator put back in the outbox.",
          retried_.load());
  counter(text, "benefitd_notifications_failed", "Notifications parked in the dead letters now.",
          store_.row_count(store::Table::dead_letters).value_or(0), "gauge");
  return text;
}

Sink spool_file_sink(std::filesystem::path path) {
  return [path = std::move(path)](const nlohmann::json& notification) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    const std::string line = notification.dump() + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                         ::fsync(fd) == 0;
    ::close(fd);
    return written;
  };
}

}  // namespace benefitd::notify
