// HTTPS on the listener (--tls-cert, --tls-key) against a real benefitd over loopback, with
// certificates made at test time: a verified round trip, plain HTTP and TLS 1.1 refused, only
// forward-secret AEAD suites, SIGHUP switching new connections to a new certificate (and keeping
// the old one when the new files are bad), stalled handshakes closed and shed, and benefitctl
// over HTTPS with --cacert.
#include <catch2/catch.hpp>

#include <openssl/ssl.h>
#include <poll.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include "scenario.h"
#include "support/temp_dir.h"
#include "test_certificates.h"

namespace benefitd::testing {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using namespace std::chrono_literals;

/// A data dir, the server's certificate and key files, and the CA files clients may trust.
struct TlsFiles {
  TempDir dir;
  std::filesystem::path cert = dir.path() / "server.pem", key = dir.path() / "server.key";
  std::filesystem::path first_ca = dir.path() / "first-ca.pem", second_ca = dir.path() / "second-ca.pem";
  TestAuthority first{"benefitd test CA one"}, second{"benefitd test CA two"};

  /// The server files hold a certificate from `first` for 127.0.0.1 and localhost (or `names`).
  explicit TlsFiles(const std::string& names = "IP:127.0.0.1,DNS:localhost") {
    first.write_certificate(first_ca);
    second.write_certificate(second_ca);
    first.issue(names).write(cert, key);
  }

  std::vector<std::string> flags(std::vector<std::string> more = {}) const {
    std::vector<std::string> all = {"--tls-cert", cert.string(), "--tls-key", key.string()};
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }
};

cli::HttpClient https_client(const std::string& port, const std::filesystem::path& ca,
                             const std::string& host = "127.0.0.1") {
  return cli::HttpClient(host, port, std::chrono::seconds(10), cli::ClientTls{ca.string()});
}

/// The status of GET /healthz over a fresh HTTPS connection trusting `ca`; the client's error
/// when it does not get that far.
std::string healthz_over_tls(const std::string& port, const std::filesystem::path& ca,
                             const std::string& host = "127.0.0.1") {
  try {
    auto client = https_client(port, ca, host);
    return std::to_string(client.send({"GET", "/healthz", "", {}}).status);
  } catch (const std::exception& error) {
    return error.what();
  }
}

/// A TLS handshake with the server from a client allowing `min`..`max` and `ciphers` (TLS 1.2
/// and below), with OpenSSL's security level 0 so that it really offers what it is told; ""
/// when it succeeds, else OpenSSL's reason. `negotiated` gets the version and suite.
std::string handshake(const std::string& port, int min, int max, const std::filesystem::path& ca,
                      const std::string& ciphers = "DEFAULT:@SECLEVEL=0", std::string* negotiated = nullptr) {
  net::io_context io;
  ssl::context context(ssl::context::tls_client);
  SSL_CTX* handle = context.native_handle();
  SSL_CTX_set_security_level(handle, 0);
  REQUIRE(SSL_CTX_set_cipher_list(handle, ciphers.c_str()) == 1);
  REQUIRE(SSL_CTX_set_min_proto_version(handle, min) == 1);
  REQUIRE(SSL_CTX_set_max_proto_version(handle, max) == 1);
  context.load_verify_file(ca.string());
  context.set_verify_mode(ssl::verify_peer);
  ssl::stream<net::ip::tcp::socket> stream(io, context);
  net::connect(stream.next_layer(), net::ip::tcp::resolver(io).resolve("127.0.0.1", port));
  boost::system::error_code error;
  stream.handshake(ssl::stream_base::client, error);
  if (error) return error.message();
  if (negotiated != nullptr)
    *negotiated =
        std::string(SSL_get_version(stream.native_handle())) + " " + SSL_get_cipher_name(stream.native_handle());
  return "";
}

/// Whether the server closes `fd` (end of stream or reset) within `limit`, having sent nothing.
bool closed_without_a_word(int fd, std::chrono::milliseconds limit) {
  pollfd ready{fd, POLLIN, 0};
  if (::poll(&ready, 1, static_cast<int>(limit.count())) != 1) return false;
  char byte;
  return ::recv(fd, &byte, 1, 0) <= 0;
}

/// Waits (at most 20 s) until `condition` holds; whether it did.
template <class Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

std::size_t occurrences(const std::filesystem::path& file, const std::string& needle) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  std::size_t count = 0;
  for (std::size_t at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1)) ++count;
  return count;
}

TEST_CASE("TLS: an HTTPS round trip verifies the server's certificate and host name", "[http][server][tls]") {
  TlsFiles files;
  ServerProcess server(files.dir.path() / "data", files.flags());

  auto client = https_client(server.port(), files.first_ca);
  CHECK(client.send({"GET", "/healthz", "", {}}).status == 200);
  // A command over the same kept-alive connection, framed and answered as over plain HTTP.
  const auto refused = client.send({"POST", "/v1/partners", R"({"name":"fabrikam"})",
                                    {{"Authorization", std::string("Bearer ") + kOperatorToken}}});
  CHECK(refused.status == 400);
  CHECK(refused.body.find("\"code\"") != std::string::npos);
  CHECK(healthz_over_tls(server.port(), files.first_ca, "localhost") == "200");

  // A client that trusts another CA, or only the system's, does not talk to this server.
  CHECK_THAT(healthz_over_tls(server.port(), files.second_ca), Catch::Contains("certificate verify failed"));
  CHECK_THAT(healthz_over_tls(server.port(), ""), Catch::Contains("certificate verify failed"));
  CHECK(server.stop() == 0);
}

TEST_CASE("TLS: a certificate for another host is refused by the client", "[http][server][tls]") {
  TlsFiles files("DNS:elsewhere.example,IP:192.0.2.1");
  ServerProcess server(files.dir.path() / "data", files.flags());
  // Trusted CA, wrong name: the host name check alone refuses it.
  CHECK_THAT(healthz_over_tls(server.port(), files.first_ca), Catch::Contains("IP address mismatch"));
  CHECK_THAT(healthz_over_tls(server.port(), files.first_ca, "localhost"), Catch::Contains("hostname mismatch"));
  CHECK(server.stop() == 0);
}

TEST_CASE("TLS: plain HTTP on the TLS port gets no HTTP answer", "[http][server][tls]") {
  TlsFiles files;
  ServerProcess server(files.dir.path() / "data", files.flags());
  const std::string answer = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(answer.find("HTTP/") == std::string::npos);
  CHECK(answer.find("\"status\"") == std::string::npos);
  CHECK(healthz_over_tls(server.port(), files.first_ca) == "200");  // and the listener serves on
  CHECK(server.stop() == 0);
}

TEST_CASE("TLS: TLS 1.1 and suites without forward secrecy or AEAD are refused, TLS 1.2 and 1.3 serve",
          "[http][server][tls]") {
  TlsFiles files;
  ServerProcess server(files.dir.path() / "data", files.flags());
  // The server says no ("protocol version" alert): the client did offer TLS 1.1.
  CHECK_THAT(handshake(server.port(), TLS1_1_VERSION, TLS1_1_VERSION, files.first_ca),
             Catch::Contains("protocol version"));
  CHECK_THAT(handshake(server.port(), TLS1_VERSION, TLS1_VERSION, files.first_ca), Catch::Contains("protocol version"));
  // A TLS 1.2 client offering only CBC (no AEAD) suites finds none in common.
  CHECK_THAT(handshake(server.port(), TLS1_2_VERSION, TLS1_2_VERSION, files.first_ca,
                       "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:@SECLEVEL=0"),
             Catch::Contains("handshake failure"));

  std::string negotiated;
  CHECK(handshake(server.port(), TLS1_2_VERSION, TLS1_2_VERSION, files.first_ca, "DEFAULT:@SECLEVEL=0", &negotiated) ==
        "");
  CHECK_THAT(negotiated, Catch::StartsWith("TLSv1.2 ECDHE-ECDSA-") &&
                             (Catch::Contains("GCM") || Catch::Contains("CHACHA20")));
  CHECK(handshake(server.port(), TLS1_1_VERSION, TLS1_3_VERSION, files.first_ca, "DEFAULT:@SECLEVEL=0", &negotiated) ==
        "");
  CHECK_THAT(negotiated, Catch::StartsWith("TLSv1.3 "));
  CHECK(server.stop() == 0);
}

TEST_CASE(
    "TLS: SIGHUP switches new connections to the new certificate and keeps the old one when the new files are bad",
    "[http][server][tls]") {
  TlsFiles files;
  ServerProcess server(files.dir.path() / "data", files.flags());
  auto kept = https_client(server.port(), files.first_ca);
  REQUIRE(kept.send({"GET", "/healthz", "", {}}).status == 200);
  REQUIRE_THAT(healthz_over_tls(server.port(), files.second_ca), Catch::Contains("certificate verify failed"));

  files.second.issue("IP:127.0.0.1").write(files.cert, files.key);
  server.send_signal(SIGHUP);
  // A client pinned to the new CA gets in once the reload is done; one pinned to the old no longer.
  CHECK(eventually([&] { return healthz_over_tls(server.port(), files.second_ca) == "200"; }));
  CHECK_THAT(healthz_over_tls(server.port(), files.first_ca), Catch::Contains("certificate verify failed"));
  CHECK(occurrences(server.log_path(), "TLS certificate reloaded") == 1);
  // The listener stayed: the connection opened before the reload still serves.
  CHECK(kept.send({"GET", "/healthz", "", {}}).status == 200);

  // Not a certificate, then a key that does not match: each reload fails and changes nothing.
  const std::string refused = "cannot reload the TLS certificate";
  { std::ofstream(files.cert) << "not a certificate\n"; }
  server.send_signal(SIGHUP);
  CHECK(eventually([&] { return occurrences(server.log_path(), refused) == 1; }));
  CHECK(healthz_over_tls(server.port(), files.second_ca) == "200");
  const TempDir other;
  files.first.issue("IP:127.0.0.1").write(files.cert, other.path() / "unused.key");
  server.send_signal(SIGHUP);
  CHECK(eventually([&] { return occurrences(server.log_path(), refused) == 2; }));
  CHECK(occurrences(server.log_path(), "not the PEM private key of") == 1);
  CHECK(healthz_over_tls(server.port(), files.second_ca) == "200");
  CHECK_THAT(healthz_over_tls(server.port(), files.first_ca), Catch::Contains("certificate verify failed"));
  CHECK(server.stop() == 0);
}

TEST_CASE("TLS: a client that opens a connection and stalls its handshake is closed", "[http][server][tls][hostile]") {
  TlsFiles files;
  // The read timeout (30 s) would close it too, long after the 10 s this test waits.
  ServerProcess server(files.dir.path() / "data", files.flags({"--tls-handshake-timeout", "1"}));
  const int silent = connect_loopback(server.port());
  const int half_hello = connect_loopback(server.port());
  const std::string record_header("\x16\x03\x01\x02\x00", 5);  // a handshake record of 512 bytes, never sent
  REQUIRE(::send(half_hello, record_header.data(), record_header.size(), MSG_NOSIGNAL) == 5);
  CHECK(closed_without_a_word(silent, 10s));
  CHECK(closed_without_a_word(half_hello, 10s));
  ::close(silent);
  ::close(half_hello);
  CHECK(healthz_over_tls(server.port(), files.first_ca) == "200");
  CHECK(server.stop() == 0);
}

TEST_CASE("TLS: connections stalled in their handshake are the first shed for a new client",
          "[http][server][tls][hostile]") {
  TlsFiles files;
  ServerProcess server(files.dir.path() / "data",
                       files.flags({"--max-connections", "2", "--tls-handshake-timeout", "300"}));
  const int first = connect_loopback(server.port()), second = connect_loopback(server.port());
  // Both slots are held by silent clients; a real client still gets in, shedding the oldest.
  CHECK(healthz_over_tls(server.port(), files.first_ca) == "200");
  CHECK(closed_without_a_word(first, 10s));
  ::close(first);
  ::close(second);
  CHECK(server.stop() == 0);
}

struct Run {
  int status;
  std::string said;  // stdout and stderr
};

Run benefitctl(const std::string& arguments) {
  FILE* pipe = ::popen((std::string(BENEFITCTL_PATH) + " " + arguments + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string said;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) said.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, said};
}

TEST_CASE("TLS: benefitctl speaks HTTPS with --cacert and fails cleanly with the wrong CA",
          "[http][server][tls][cli]") {
  TlsFiles files;
  ServerProcess server(files.dir.path() / "data", files.flags());
  const std::string https = "--server https://127.0.0.1:" + server.port();

  const Run ok = benefitctl(https + " --cacert " + files.first_ca.string() + " health --json");
  CHECK(ok.status == 0);
  CHECK_THAT(ok.said, Catch::Contains("\"status\":\"ok\""));
  const Run by_name = benefitctl("--server https://localhost:" + server.port() + " --cacert " +
                                 files.first_ca.string() + " health --json");
  CHECK(by_name.status == 0);

  const Run wrong_ca = benefitctl(https + " --cacert " + files.second_ca.string() + " health");
  CHECK(wrong_ca.status == 2);
  CHECK_THAT(wrong_ca.said, Catch::StartsWith("benefitctl: cannot talk to 127.0.0.1:" + server.port() +
                                              ": TLS handshake failed: certificate verify failed"));
  const Run no_ca_file = benefitctl(https + " --cacert " + (files.dir.path() / "missing.pem").string() + " health");
  CHECK(no_ca_file.status == 2);
  CHECK_THAT(no_ca_file.said, Catch::StartsWith("benefitctl: --cacert: cannot read"));
  const Run plain_url = benefitctl("--server http://127.0.0.1:" + server.port() + " --cacert " +
                                   files.first_ca.string() + " health");
  CHECK(plain_url.status == 2);
  CHECK_THAT(plain_url.said, Catch::Contains("--cacert is for an https:// server"));
  CHECK(server.stop() == 0);
}

}  // namespace
}  // namespace benefitd::testing
