#include "adapters/notify/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <iterator>

namespace benefitd::notify {

namespace {

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string text(4 * ((size + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes, static_cast<int>(size));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

/// Strict base64 (with padding) to bytes; nullopt for anything else.
std::optional<std::string> from_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  for (const char c : text) {
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                          c == '/' || c == '=';
    if (!alphabet) return std::nullopt;
  }
  std::string bytes(3 * text.size() / 4, '\0');
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (decoded < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++padding;
  if (padding > 2) return std::nullopt;
  bytes.resize(static_cast<std::size_t>(decoded) - padding);
  return bytes;
}

}  // namespace

std::optional<std::string> parse_webhook_secret(std::string_view secret, std::string* error) {
  std::string key;
  if (secret.starts_with(kWebhookSecretPrefix)) {
    const auto decoded = from_base64(secret.substr(kWebhookSecretPrefix.size()));
    if (!decoded) {
      *error = "a secret starting with whsec_ must continue in base64";
      return std::nullopt;
    }
    key = *decoded;
  } else {
    key = std::string(secret);
  }
  if (key.size() < kMinWebhookKeyBytes) {
    *error = "the webhook secret must hold at least " + std::to_string(kMinWebhookKeyBytes) + " bytes";
    return std::nullopt;
  }
  return key;
}

std::optional<std::string> read_webhook_secret_file(const std::filesystem::path& path, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot read " + path.string();
    return std::nullopt;
  }
  std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return parse_webhook_secret(text, error);
}

std::string webhook_signature(std::string_view key, std::string_view id, std::int64_t timestamp,
                              std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), digest, &length);
  return "v1," + base64(digest, length);
}

}  // namespace benefitd::notify
