#pragma once
// The exchange log of the socket tests: when the environment variable BENEFITD_EXCHANGE_LOG
// names a file, every request a test client sends and the answer it gets are appended to it as
// one JSON line (format: docs/http.md, "Holding the OpenAPI document to the server"), which
// tests/api-contract/validate-exchanges.mjs then checks against the OpenAPI document.
// RecordingClient is cli::HttpClient with that hook.
// Thread safety: record_exchange may be called from any thread and any process at once: each
// line is one write(2) to a file opened with O_APPEND, so lines never interleave.

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/cli/http_client.h"

namespace benefitd::testing {

namespace exchange_log_detail {

inline nlohmann::json header_object(const std::vector<std::pair<std::string, std::string>>& headers) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // A bearer token is a secret even in a test: the log keeps only that one was sent.
    const std::string kept = lower == "authorization" ? value.substr(0, value.find(' ')) + " <redacted>" : value;
    if (object.contains(lower)) object[lower] = object[lower].get<std::string>() + ", " + kept;
    else object[lower] = kept;
  }
  return object;
}

}  // namespace exchange_log_detail

/// Appends the exchange to $BENEFITD_EXCHANGE_LOG; does nothing when it is unset or empty.
inline void record_exchange(const cli::ClientRequest& request, const cli::ClientResponse& response) {
  const char* path = std::getenv("BENEFITD_EXCHANGE_LOG");
  if (path == nullptr || *path == '\0') return;
  auto request_headers = request.headers;
  // What cli::HttpClient adds to every request with a body.
  if (!request.body.empty()) request_headers.emplace_back("Content-Type", "application/json");
  const nlohmann::json line = {
      {"method", request.method},
      {"path", request.target},
      {"requestHeaders", exchange_log_detail::header_object(request_headers)},
      {"requestBody", request.body},
      {"status", response.status},
      {"responseHeaders", exchange_log_detail::header_object(response.headers)},
      {"responseBody", response.body},
  };
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(std::string("cannot open the exchange log ") + path);
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()))
    throw std::runtime_error(std::string("cannot append to the exchange log ") + path);
}

/// cli::HttpClient whose exchanges go to the exchange log.
class RecordingClient {
 public:
  RecordingClient(std::string host, std::string port) : client_(std::move(host), std::move(port)) {}

  cli::ClientResponse send(const cli::ClientRequest& request) {
    cli::ClientResponse response = client_.send(request);
    record_exchange(request, response);
    return response;
  }

 private:
  cli::HttpClient client_;
};

}  // namespace benefitd::testing
