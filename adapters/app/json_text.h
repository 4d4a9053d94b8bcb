#pragma once
// Whether a text is one JSON value (RFC 8259), checked without building a document or copying
// anything: for passes that copy stored JSON as it is and only need to know it is JSON (the
// audit export). Accepts what nlohmann::json::accept accepts (UTF-8 checked, \u escapes of
// surrogates paired), except that it does not refuse numbers too large for a double, and
// refuses values nested more than 512 deep (which it would have to recurse into).
// Thread safety: a pure function.

#include <string_view>

namespace benefitd::app {

/// True if `text` is one JSON value, with white space around it at most.
bool is_json_text(std::string_view text);

}  // namespace benefitd::app
