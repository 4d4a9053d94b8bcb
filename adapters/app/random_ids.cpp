#include "adapters/app/random_ids.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "store/sha256.h"

namespace benefitd::app {

namespace {

// Characters of product keys and ids: digits and capitals without the look-alikes 0/O, 1/I.
constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

std::string random_text(std::size_t length) {
  std::string bytes(length, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(length)) != 1) {
    throw std::runtime_error("the random number generator failed");
  }
  for (char& c : bytes) c = kAlphabet[static_cast<unsigned char>(c) % kAlphabet.size()];
  return bytes;
}

std::string_view prefix(workflows::IdKind kind) {
  switch (kind) {
    case workflows::IdKind::partner: return "P";
    case workflows::IdKind::user: return "U";
    case workflows::IdKind::package: return "K";
    case workflows::IdKind::benefit: return "B";
    case workflows::IdKind::seat: return "S";
    case workflows::IdKind::supportRequest: return "SR";
    case workflows::IdKind::fulfilmentRequest: return "FR";
    case workflows::IdKind::notification: return "N";
  }
  return "X";
}

}  // namespace

std::string RandomIds::newId(workflows::IdKind kind) {
  return std::string(prefix(kind)) + "-" + random_text(12);
}

std::string RandomIds::productKey() {
  std::string key;
  for (int group = 0; group < 5; ++group) {
    if (group > 0) key.push_back('-');
    key += random_text(5);
  }
  return key;
}

std::string RandomIds::accessId() { return "AID-" + random_text(10); }

std::string RandomIds::contractId() { return "CID-" + random_text(10); }

std::string new_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("the random number generator failed");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string token;
  for (const unsigned char byte : bytes) {
    token.push_back(kDigits[byte >> 4]);
    token.push_back(kDigits[byte & 0x0f]);
  }
  return token;
}

std::string token_hash(std::string_view token) { return store::to_hex(store::sha256(token)); }

}  // namespace benefitd::app
