#include "workflows/json_reader.h"

#include <string>

namespace benefitd::workflows {

simdjson::simdjson_result<simdjson::dom::element> parseJsonText(std::string_view text) {
  // The parser reads SIMDJSON_PADDING bytes past the text, so it gets a copy with room for them;
  // the copy's buffer and the parser's are reused, saving allocations on every event.
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;
  padded.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(text);
  return parser.parse(padded);
}

bool isJsonText(std::string_view text) { return parseJsonText(text).error() == simdjson::SUCCESS; }

}  // namespace benefitd::workflows
