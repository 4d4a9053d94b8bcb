#include "adapters/app/json_text.h"

#include <cstdint>

namespace benefitd::app {

namespace {

// Deeper nesting is refused rather than followed (the check recurses once per level).
constexpr int kMaxDepth = 512;

class Checker {
 public:
  explicit Checker(std::string_view text) : at_(text.data()), end_(text.data() + text.size()) {}

  bool document() {
    skip_space();
    if (!value(0)) return false;
    skip_space();
    return at_ == end_;
  }

 private:
  bool value(int depth) {
    if (at_ == end_) return false;
    switch (*at_) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return string();
      case 't': return word("true");
      case 'f': return word("false");
      case 'n': return word("null");
      default: return number();
    }
  }

  bool object(int depth) {
    if (depth > kMaxDepth) return false;
    ++at_;  // {
    skip_space();
    if (take('}')) return true;
    for (;;) {
      skip_space();
      if (at_ == end_ || *at_ != '"' || !string()) return false;
      skip_space();
      if (!take(':')) return false;
      skip_space();
      if (!value(depth)) return false;
      skip_space();
      if (take('}')) return true;
      if (!take(',')) return false;
    }
  }

  bool array(int depth) {
    if (depth > kMaxDepth) return false;
    ++at_;  // [
    skip_space();
    if (take(']')) return true;
    for (;;) {
      skip_space();
      if (!value(depth)) return false;
      skip_space();
      if (take(']')) return true;
      if (!take(',')) return false;
    }
  }

  bool string() {
    ++at_;  // "
    while (at_ != end_) {
      const auto c = static_cast<unsigned char>(*at_);
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!escape()) return false;
      } else if (c < 0x80) {
        ++at_;
      } else if (!utf8_sequence()) {
        return false;
      }
    }
    return false;
  }

  bool escape() {
    ++at_;  // backslash
    if (at_ == end_) return false;
    const char c = *at_++;
    switch (c) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': return true;
      case 'u': break;
      default: return false;
    }
    std::uint32_t unit = 0;
    if (!hex4(&unit)) return false;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate alone
    if (unit < 0xD800 || unit > 0xDBFF) return true;
    // A high surrogate must be followed by an escaped low one.
    if (end_ - at_ < 2 || at_[0] != '\\' || at_[1] != 'u') return false;
    at_ += 2;
    std::uint32_t low = 0;
    return hex4(&low) && low >= 0xDC00 && low <= 0xDFFF;
  }

  bool hex4(std::uint32_t* unit) {
    if (end_ - at_ < 4) return false;
    for (int i = 0; i < 4; ++i) {
      const char c = *at_++;
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') digit = static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') digit = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') digit = static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
      *unit = *unit * 16 + digit;
    }
    return true;
  }

  // One well-formed UTF-8 sequence of two to four bytes (no overlong forms, no surrogates,
  // nothing above U+10FFFF), as RFC 3629 lists them.
  bool utf8_sequence() {
    const auto byte = [this](std::ptrdiff_t i) { return static_cast<unsigned char>(at_[i]); };
    const auto tail = [](unsigned char b) { return b >= 0x80 && b <= 0xBF; };
    const unsigned char lead = byte(0);
    std::ptrdiff_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // no overlong form
      if (lead == 0xED) high = 0x9F;  // no surrogate
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // no overlong form
      if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;
    }
    if (end_ - at_ < length || byte(1) < low || byte(1) > high) return false;
    for (std::ptrdiff_t i = 2; i < length; ++i)
      if (!tail(byte(i))) return false;
    at_ += length;
    return true;
  }

  bool number() {
    take('-');
    if (!take('0') && !digits()) return false;  // after a leading 0, no more integer digits
    if (take('.') && !digits()) return false;
    if (at_ != end_ && (*at_ == 'e' || *at_ == 'E')) {
      ++at_;
      if (!take('+')) take('-');
      if (!digits()) return false;
    }
    return true;
  }

  bool digits() {
    const char* start = at_;
    while (at_ != end_ && *at_ >= '0' && *at_ <= '9') ++at_;
    return at_ != start;
  }

  bool word(std::string_view expected) {
    if (static_cast<std::size_t>(end_ - at_) < expected.size() || std::string_view(at_, expected.size()) != expected) {
      return false;
    }
    at_ += expected.size();
    return true;
  }

  bool take(char c) {
    if (at_ == end_ || *at_ != c) return false;
    ++at_;
    return true;
  }

  void skip_space() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\t' || *at_ == '\n' || *at_ == '\r')) ++at_;
  }

  const char* at_;
  const char* end_;
};

}  // namespace

bool is_json_text(std::string_view text) { return Checker(text).document(); }

}  // namespace benefitd::app
