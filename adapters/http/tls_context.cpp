#include "adapters/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <system_error>

namespace benefitd::http {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites of Mozilla's "intermediate" configuration without the finite-field DHE ones
// (which need DH parameters of their own): forward secrecy and AEAD only. TLS 1.3 keeps
// OpenSSL's default suites, all of which qualify.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

bool fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

/// A server context holding `files`, or nullptr and `error`.
std::shared_ptr<ssl::context> make_context(const TlsFiles& files, std::string* error) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* handle = context->native_handle();
  if (SSL_CTX_set_min_proto_version(handle, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(handle, kTls12Ciphers) != 1) {
    fail(error, "OpenSSL refused the TLS 1.2+ settings");
    return nullptr;
  }
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression | SSL_OP_NO_RENEGOTIATION);
  // An encrypted key fails to load rather than have OpenSSL ask for its passphrase on the terminal.
  context->set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); });
  for (const auto* path : {&files.certificate, &files.key}) {
    std::error_code missing;
    if (!std::filesystem::is_regular_file(*path, missing)) {
      fail(error, path->string() + ": not a readable file");
      return nullptr;
    }
  }
  boost::system::error_code ec;
  if (context->use_certificate_chain_file(files.certificate.string(), ec); ec) {
    fail(error, files.certificate.string() + ": not a PEM certificate (" + ec.message() + ")");
    return nullptr;
  }
  // OpenSSL also checks here that the key is the certificate's.
  if (context->use_private_key_file(files.key.string(), ssl::context::pem, ec); ec) {
    fail(error, files.key.string() + ": not the PEM private key of " + files.certificate.string() + " (" +
                    ec.message() + ")");
    return nullptr;
  }
  return context;
}

}  // namespace

std::shared_ptr<TlsContexts> TlsContexts::load(TlsFiles files, std::string* error) {
  std::shared_ptr<TlsContexts> contexts(new TlsContexts(std::move(files)));
  if (!contexts->reload(error)) return nullptr;
  return contexts;
}

std::shared_ptr<ssl::context> TlsContexts::current() const {
  const std::scoped_lock lock(mutex_);
  return current_;
}

bool TlsContexts::reload(std::string* error) {
  // Loading reads files and parses keys: done outside the lock, which only guards the swap.
  auto fresh = make_context(files_, error);
  if (!fresh) {
    ERR_clear_error();  // what the failed load left must not be taken for a later connection's error
    return false;
  }
  const std::scoped_lock lock(mutex_);
  current_ = std::move(fresh);
  return true;
}

}  // namespace benefitd::http
