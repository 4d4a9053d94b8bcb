#include "adapters/app/random_ids.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include "store/sha256.h"

namespace benefitd::app {

namespace {

// Characters of product keys and ids: digits and capitals without the look-alikes 0/O, 1/I.
// 256 is a multiple of its 32 characters, so every character is equally likely.
constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

// Fills `out` with bytes from OpenSSL's CSPRNG, drawn a block at a time into a buffer of the
// calling thread. A command needs a dozen small draws (event ids, keys), and each RAND_bytes
// call pays a fixed cost (the generator's reseed check and state update) that came to 5% of
// the command path's cycles; a block serves many draws for one such cost. Each byte is
// handed out once, to one thread. Nothing in the process forks, so no child repeats them.
void random_bytes(unsigned char* out, std::size_t length) {
  struct Pool {
    std::array<unsigned char, 512> bytes{};
    std::size_t used = bytes.size();  // empty until the first draw
  };
  thread_local Pool pool;
  while (length > 0) {
    if (pool.used == pool.bytes.size()) {
      if (RAND_bytes(pool.bytes.data(), static_cast<int>(pool.bytes.size())) != 1) {
        throw std::runtime_error("the random number generator failed");
      }
      pool.used = 0;
    }
    const std::size_t taken = std::min(length, pool.bytes.size() - pool.used);
    std::memcpy(out, pool.bytes.data() + pool.used, taken);
    OPENSSL_cleanse(pool.bytes.data() + pool.used, taken);  // no copy of a secret stays behind
    pool.used += taken;
    out += taken;
    length -= taken;
  }
}

std::string random_text(std::size_t length) {
  std::string text(length, '\0');
  random_bytes(reinterpret_cast<unsigned char*>(text.data()), length);
  for (char& c : text) c = kAlphabet[static_cast<unsigned char>(c) % kAlphabet.size()];
  return text;
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
  const std::string characters = random_text(25);
  std::string key;
  for (std::size_t group = 0; group < 5; ++group) {
    if (group > 0) key.push_back('-');
    key.append(characters, group * 5, 5);
  }
  return key;
}

std::string RandomIds::accessId() { return "AID-" + random_text(10); }

std::string RandomIds::contractId() { return "CID-" + random_text(10); }

std::string new_token() {
  unsigned char bytes[32];
  random_bytes(bytes, sizeof bytes);
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
