#include "workflows/json_text.h"

#include <charconv>
#include <utility>

namespace benefitd::workflows {

namespace {

// The escapes dump() uses; other control characters become \u00xx with lower-case hex.
void append_escaped(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(text.substr(plain_from, i - plain_from));
    plain_from = i + 1;
    switch (byte) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0xF]);
    }
  }
  out.append(text.substr(plain_from));
  out.push_back('"');
}

template <class Integer>
void append_number(std::string& out, Integer number) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out.append(digits, end);
}

}  // namespace

void JsonText::separate() {
  if (needs_comma_) out_.push_back(',');
}

void JsonText::beginObject() {
  separate();
  out_.push_back('{');
  needs_comma_ = false;
}

void JsonText::endObject() {
  out_.push_back('}');
  needs_comma_ = true;
}

void JsonText::beginArray() {
  separate();
  out_.push_back('[');
  needs_comma_ = false;
}

void JsonText::endArray() {
  out_.push_back(']');
  needs_comma_ = true;
}

void JsonText::key(std::string_view name) {
  separate();
  append_escaped(out_, name);
  out_.push_back(':');
  needs_comma_ = false;
}

void JsonText::value(std::string_view text) {
  separate();
  append_escaped(out_, text);
  needs_comma_ = true;
}

void JsonText::value(std::int64_t number) {
  separate();
  append_number(out_, number);
  needs_comma_ = true;
}

void JsonText::value(std::uint64_t number) {
  separate();
  append_number(out_, number);
  needs_comma_ = true;
}

void JsonText::boolean(bool flag) {
  separate();
  out_.append(flag ? "true" : "false");
  needs_comma_ = true;
}

void JsonText::null() {
  separate();
  out_.append("null");
  needs_comma_ = true;
}

std::string JsonText::take() {
  needs_comma_ = false;
  return std::exchange(out_, {});
}

}  // namespace benefitd::workflows
