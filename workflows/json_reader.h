// Reading stored JSON text without building an nlohmann document: simdjson's validating DOM
// parser, for the passes that read JSON on every event (event data on every replay and
// rebuild, the audit export's check that data is JSON). It accepts exactly RFC 8259 JSON,
// UTF-8 checked, nested at most 1024 deep.
// Thread safety: each thread has its own parser. What parseJsonText returns stays valid until
// the same thread's next call.
#pragma once

#include <string_view>

#include <simdjson.h>

namespace benefitd::workflows {

/// The one JSON value `text` holds (white space around it allowed), or simdjson's error.
simdjson::simdjson_result<simdjson::dom::element> parseJsonText(std::string_view text);

/// Whether `text` is one JSON value, white space around it allowed.
bool isJsonText(std::string_view text);

}  // namespace benefitd::workflows
