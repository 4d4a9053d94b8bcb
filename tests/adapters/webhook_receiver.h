#pragma once
// WebhookReceiver: a webhook endpoint on loopback for the tests, answering each request with
// the status a function of its number gives (to fail N times, or always until told), over
// plain HTTP or, given a TLS context, HTTPS; and a
// verifier of Standard Webhooks signatures written apart from the product's signer: HMAC-SHA256
// and base64 straight from OpenSSL over "<webhook-id>.<webhook-timestamp>.<body>".
// Thread safety: the receiver serves on a thread of its own; its methods may be called from
// the test's thread.

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace benefitd::testing {

struct ReceivedWebhook {
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  int answered = 0;  // the status the receiver answered
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class WebhookReceiver {
 public:
  using Answer = std::function<int(std::size_t request_number)>;  // numbered from 0

  /// Over HTTPS with `tls` (a server context with its certificate and key), else plain HTTP.
  explicit WebhookReceiver(Answer answer, boost::asio::ssl::context* tls = nullptr)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}), answer_(std::move(answer)), tls_(tls),
        thread_([this] { serve(); }) {}
  ~WebhookReceiver() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    // Closing a socket does not wake a thread blocked on it; shutting it down does.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    {
      std::lock_guard lock(mutex_);
      if (socket_) ::shutdown(socket_->native_handle(), SHUT_RDWR);
    }
    thread_.join();
  }

  std::string url(const std::string& path = "/hooks/benefits") const {
    return std::string(tls_ != nullptr ? "https" : "http") + "://127.0.0.1:" +
           std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  void set_answer(Answer answer) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(answer);
  }
  std::vector<ReceivedWebhook> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  /// Waits until `count` requests were received; false if they were not within `limit`.
  bool wait_for(std::size_t count, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock lock(mutex_);
    return received_.wait_for(lock, limit, [&] { return requests_.size() >= count; });
  }

 private:
  void serve() {
    for (;;) {
      boost::system::error_code error;
      auto socket = std::make_shared<boost::asio::ip::tcp::socket>(io_);
      acceptor_.accept(*socket, error);
      if (error) return;
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        socket_ = socket;
      }
      if (tls_ == nullptr) {
        exchange(*socket);
        continue;
      }
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(*socket, *tls_);
      stream.handshake(boost::asio::ssl::stream_base::server, error);
      if (!error) exchange(stream);
    }
  }

  /// Answers the requests of one connection until it closes.
  template <class Stream>
  void exchange(Stream& stream) {
    namespace http = boost::beast::http;
    boost::system::error_code error;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      http::read(stream, buffer, request, error);
      if (error) return;
      ReceivedWebhook received;
      for (const auto& field : request) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        received.headers[name] = std::string(field.value());
      }
      received.body = request.body();
      // Recorded before it is answered: a sender that has the answer finds it here.
      http::response<http::string_body> response;
      {
        std::lock_guard lock(mutex_);
        received.answered = answer_(requests_.size());
        response.result(received.answered);
        requests_.push_back(std::move(received));
      }
      received_.notify_all();
      response.version(11);
      response.keep_alive(true);
      response.prepare_payload();
      http::write(stream, response, error);
      if (error) return;
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::mutex mutex_;
  std::condition_variable received_;
  Answer answer_;
  boost::asio::ssl::context* tls_;
  std::vector<ReceivedWebhook> requests_;
  std::shared_ptr<boost::asio::ip::tcp::socket> socket_;
  bool stopping_ = false;
  std::thread thread_;
};

/// base64 of `bytes` (OpenSSL's encoder).
inline std::string test_base64(const std::string& bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                  static_cast<int>(bytes.size()));
  return text;
}

/// Whether one of the space-separated "v1,<base64>" signatures of `request` is the
/// HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" under `key`.
inline bool signature_verifies(const ReceivedWebhook& request, const std::string& key) {
  const std::string signed_content =
      request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.body;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), digest, &length);
  const std::string expected = test_base64(std::string(reinterpret_cast<const char*>(digest), length));
  std::istringstream signatures(request.header("webhook-signature"));
  for (std::string signature; signatures >> signature;) {
    if (!signature.starts_with("v1,")) continue;
    const std::string given = signature.substr(3);
    if (given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0) return true;
  }
  return false;
}

}  // namespace benefitd::testing
