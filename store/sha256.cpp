#include "store/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace benefitd::store {

namespace {

// Fetching the algorithm once avoids OpenSSL 3's implicit fetch on every digest.
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* const algorithm = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no SHA256 implementation");
    return fetched;
  }();
  return algorithm;
}

}  // namespace

Hash sha256(std::string_view bytes) {
  Hash digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256_algorithm(),
                 nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("SHA-256 digest failed");
  }
  return digest;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string to_hex(const Hash& hash) {
  return to_hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

}  // namespace benefitd::store
