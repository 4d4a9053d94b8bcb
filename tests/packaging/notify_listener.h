#pragma once
// NotifyListener: the service manager's end of sd_notify(3) for tests: a datagram socket on a
// path, to be passed to a program as NOTIFY_SOCKET, that collects the lines it is sent.
// Thread safety: one owner thread.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace benefitd::testing {

class NotifyListener {
 public:
  explicit NotifyListener(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path_.string().size() >= sizeof address.sun_path) throw std::runtime_error("socket path too long");
    std::strcpy(address.sun_path, path_.c_str());
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("cannot bind " + path_.string());
  }
  ~NotifyListener() { ::close(fd_); }
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Waits for a message holding the line `wanted` ("READY=1"). False when none came within
  /// `limit`: the limit only keeps a broken program from hanging the test.
  bool wait_for(const std::string& wanted, std::chrono::seconds limit = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      for (const std::string& line : lines_)
        if (line == wanted) return true;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) continue;
      std::istringstream message(std::string(buffer, static_cast<std::size_t>(n)));
      for (std::string line; std::getline(message, line);) lines_.push_back(line);
    }
  }

  /// Every line received so far, in order.
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<std::string> lines_;
};

}  // namespace benefitd::testing
