#pragma once
// Test certificates made at test time with OpenSSL: a certificate authority (a self-signed
// CA:TRUE certificate) and server certificates it signs for chosen names (subjectAltName DNS
// names and IP addresses), all P-256 keys, valid from an hour ago for a day. Files are PEM.
// Thread safety: none needed (each call builds its own objects).

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace benefitd::testing {

namespace certificates_detail {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertificateFree {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Certificate = std::unique_ptr<X509, CertificateFree>;

inline void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("making a test certificate: ") + what);
}

inline void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  check(extension != nullptr, "extension");
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

inline void write_pem(const std::filesystem::path& path, X509* certificate, EVP_PKEY* key) {
  FILE* file = std::fopen(path.c_str(), "w");
  check(file != nullptr, "open");
  const bool ok = certificate != nullptr ? PEM_write_X509(file, certificate) == 1
                                         : PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(file);
  check(ok, "write PEM");
}

}  // namespace certificates_detail

/// A key pair and its certificate, signed by a TestAuthority or by itself.
class TestCertificate {
 public:
  /// Writes the certificate and the key as PEM files.
  void write(const std::filesystem::path& certificate_file, const std::filesystem::path& key_file) const {
    certificates_detail::write_pem(certificate_file, certificate_.get(), nullptr);
    certificates_detail::write_pem(key_file, nullptr, key_.get());
  }

 protected:
  friend class TestAuthority;
  /// `issuer` nullptr: self-signed by `key`.
  TestCertificate(const std::string& common_name, const std::string& subject_alt_names, bool authority,
                  const TestCertificate* issuer)
      : key_(EVP_EC_gen("P-256")) {
    using namespace certificates_detail;
    check(key_ != nullptr, "key");
    certificate_.reset(X509_new());
    X509* certificate = certificate_.get();
    X509_set_version(certificate, 2);
    static long serial = 1;
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial++);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 24 * 3600);
    X509_set_pubkey(certificate, key_.get());
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                               -1, -1, 0);
    X509* issuer_certificate = issuer != nullptr ? issuer->certificate_.get() : certificate;
    X509_set_issuer_name(certificate, X509_get_subject_name(issuer_certificate));
    if (authority) {
      add_extension(certificate, issuer_certificate, NID_basic_constraints, "critical,CA:TRUE");
      add_extension(certificate, issuer_certificate, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
      add_extension(certificate, issuer_certificate, NID_basic_constraints, "critical,CA:FALSE");
      add_extension(certificate, issuer_certificate, NID_ext_key_usage, "serverAuth");
      add_extension(certificate, issuer_certificate, NID_subject_alt_name, subject_alt_names);
    }
    add_extension(certificate, issuer_certificate, NID_subject_key_identifier, "hash");
    if (issuer != nullptr) add_extension(certificate, issuer_certificate, NID_authority_key_identifier, "keyid");
    EVP_PKEY* signer = issuer != nullptr ? issuer->key_.get() : key_.get();
    check(X509_sign(certificate, signer, EVP_sha256()) > 0, "sign");
  }

  certificates_detail::Key key_;
  certificates_detail::Certificate certificate_;
};

/// A certificate authority that signs server certificates.
class TestAuthority : public TestCertificate {
 public:
  explicit TestAuthority(const std::string& name) : TestCertificate(name, "", true, nullptr) {}

  /// A server certificate for `subject_alt_names` ("IP:127.0.0.1,DNS:localhost").
  TestCertificate issue(const std::string& subject_alt_names) const {
    return TestCertificate("benefitd test server", subject_alt_names, false, this);
  }

  /// Writes the authority's certificate (what a client trusts) as PEM.
  void write_certificate(const std::filesystem::path& file) const {
    certificates_detail::write_pem(file, certificate_.get(), nullptr);
  }
};

}  // namespace benefitd::testing
