#include "adapters/notify/notifier.h"

#include <fcntl.h>
#include <unistd.h>

namespace benefitd::notify {

namespace {

// A failed delivery is retried after this long, doubling up to the maximum.
constexpr auto kFirstRetry = std::chrono::milliseconds(200);
constexpr auto kMaxRetry = std::chrono::seconds(30);
// Even with nothing to wake it, the notifier looks at the outbox this often.
constexpr auto kIdleWait = std::chrono::seconds(5);

}  // namespace

Notifier::Notifier(store::EventStore& store, Sink sink) : store_(store), sink_(std::move(sink)) {}

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
        return store::Status::io_error("the notification sink did not take " + row.key);
      }
      store::WriteRequest erase;
      erase.writes.push_back(store::KeyedWrite::erase(store::Table::outbox, row.key));
      if (store::Status status = store_.append(std::move(erase)).status; !status.is_ok()) return status;
      ++*delivered;
    }
  }
}

void Notifier::run() {
  auto retry = kFirstRetry;
  for (;;) {
    std::size_t delivered = 0;
    const bool ok = deliver_pending(&delivered).is_ok();
    retry = ok ? kFirstRetry : std::min<std::chrono::milliseconds>(retry * 2, kMaxRetry);
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, ok ? std::chrono::milliseconds(kIdleWait) : retry,
                   [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
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
