// Streaming JSON text, for the views the projection writes on every event: building an
// nlohmann::json document first (a map node per field) and then dumping it was about a sixth
// of a rebuild's CPU. The text is byte for byte what nlohmann's dump() gives for the same
// values written in the same order: compact, strings escaped the same way, UTF-8 kept as is.
// The writer does not sort keys; callers that want dump()'s order write keys sorted.
// Strings must be valid UTF-8 (they come from parsed JSON); the writer does not check.
// Thread safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace benefitd::workflows {

class JsonText {
 public:
  void beginObject();
  void endObject();
  void beginArray();
  void endArray();
  /// The next member's name; the value (or begin*) that follows is that member's.
  void key(std::string_view name);
  void value(std::string_view text);
  void value(std::int64_t number);
  void value(std::uint64_t number);
  void value(int number) { value(static_cast<std::int64_t>(number)); }
  /// true or false (not an overload of value: a string literal would convert to bool).
  void boolean(bool flag);
  void null();

  /// The text written so far; the writer is empty afterwards.
  std::string take();

 private:
  void separate();

  std::string out_;
  bool needs_comma_ = false;
};

}  // namespace benefitd::workflows
