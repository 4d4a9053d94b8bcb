// Values generated outside the domain and passed in, so that deciding stays deterministic:
// identifiers, product keys, Access and Contract IDs. The engine supplies a random source;
// tests supply a counter. A decision asks only for what it uses.
// Thread safety: an IdSource is used by one decision at a time.
#pragma once

#include <string>

namespace benefitd::workflows {

enum class IdKind { partner, user, package, benefit, seat, supportRequest, fulfilmentRequest, notification };

class IdSource {
 public:
  virtual ~IdSource() = default;
  /// A new identifier, unique across the whole log for its kind.
  virtual std::string newId(IdKind kind) = 0;
  /// A product key: 25 characters in 5 groups of 5, "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" (R-SW-1).
  virtual std::string productKey() = 0;
  /// Technical benefit identifiers (R-TECH-1), when fulfilment does not provide them.
  virtual std::string accessId() = 0;
  virtual std::string contractId() = 0;
};

/// True for "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" with X in [A-Z0-9].
bool isWellFormedProductKey(const std::string& key);

}  // namespace benefitd::workflows
