#include "store/write_request.h"

#include <cstdio>

namespace benefitd::store {

std::string position_key_suffix(Position position) {
  char digits[21];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(position));
  return digits;
}

bool ExpectedVersion::matches(Version actual) const {
  switch (kind_) {
    case Kind::any:
      return true;
    case Kind::no_stream:
      return actual == 0;
    case Kind::exact:
      return actual == version_;
  }
  return false;
}

std::string ExpectedVersion::describe() const {
  switch (kind_) {
    case Kind::any:
      return "any";
    case Kind::no_stream:
      return "no stream";
    case Kind::exact:
      return "version " + std::to_string(version_);
  }
  return "unknown";
}

std::string_view table_name(Table table) {
  switch (table) {
    case Table::idempotency:
      return "idempotency";
    case Table::timers:
      return "timers";
    case Table::views:
      return "views";
    case Table::checkpoints:
      return "checkpoints";
    case Table::outbox:
      return "outbox";
    case Table::credentials:
      return "credentials";
    case Table::dead_letters:
      return "dead_letters";
  }
  return "unknown";
}

}  // namespace benefitd::store
