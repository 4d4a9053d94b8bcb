#pragma once
// TlsContexts: the server's TLS settings (--tls-cert, --tls-key), and the certificate and key
// they load, reloadable while the server runs (SIGHUP). A context allows TLS 1.2 and 1.3 only,
// with forward-secret AEAD cipher suites (ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2,
// OpenSSL's TLS 1.3 suites), and neither compression (CRIME) nor renegotiation.
//
// Each connection takes the context current when it is accepted and keeps it: a reload changes
// what new connections get, never one already open. A reload that fails (an unreadable file,
// a key that does not match the certificate) keeps the previous context.
//
// Thread safety: current() and reload() may be called concurrently from any thread.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace benefitd::http {

struct TlsFiles {
  std::filesystem::path certificate;  // PEM: the server's certificate, then its chain
  std::filesystem::path key;          // PEM: its private key (unencrypted)
};

class TlsContexts {
 public:
  /// Loads `files`; nullptr and `error` when they cannot serve.
  static std::shared_ptr<TlsContexts> load(TlsFiles files, std::string* error);

  /// The context for a connection accepted now.
  std::shared_ptr<boost::asio::ssl::context> current() const;
  /// Loads the files again: on success new connections get the new context; on failure the
  /// current one stays and `error` says why.
  bool reload(std::string* error);
  const TlsFiles& files() const { return files_; }

 private:
  explicit TlsContexts(TlsFiles files) : files_(std::move(files)) {}

  TlsFiles files_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace benefitd::http
