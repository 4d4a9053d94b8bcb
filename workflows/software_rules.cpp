// Keys: software (R-SW-1..3) and license-based cloud (R-CL-2).
#include <algorithm>
#include <stdexcept>

#include "workflows/benefit_rules.h"

namespace benefitd::workflows {

namespace {

bool offered(const std::vector<std::string>& choices, const std::optional<std::string>& choice) {
  return choice && std::find(choices.begin(), choices.end(), *choice) != choices.end();
}

nlohmann::json keyJson(const KeyView& key) {
  return {{"language", key.language ? nlohmann::json(*key.language) : nlohmann::json(nullptr)},
          {"os", key.os ? nlohmann::json(*key.os) : nlohmann::json(nullptr)},
          {"key", key.key},
          {"maxActivations", key.maxActivations},
          {"revealedAt", formatTime(key.revealedAt)}};
}

}  // namespace

/// R-SW-3: the language and OS must be among the product's.
bool BenefitDecider::validKeyChoice(const std::optional<std::string>& language, const std::optional<std::string>& os) {
  const BenefitView& b = c_.benefit;
  if (!offered(b.languages, language))
    return reject(codes::invalidRequest, "language must be one of the product's languages",
                  {{"errors", {{{"field", "language"}, {"allowed", b.languages}}}}});
  if (!offered(b.osTypes, os))
    return reject(codes::invalidRequest, "os must be one of the product's OS types",
                  {{"errors", {{{"field", "os"}, {"allowed", b.osTypes}}}}});
  return true;
}

bool BenefitDecider::allowsSoftwareActivation(const ActivateBenefit& command) {
  return validKeyChoice(command.language, command.os);
}

/// Emits KeyRevealed for a new (language, OS) pair; maxActivations is the benefit's quantity.
void BenefitDecider::revealKey(const std::optional<std::string>& language, const std::optional<std::string>& os) {
  const BenefitView& b = c_.benefit;
  KeyRevealed revealed{b.benefitId, language, os, c_.ids.productKey(), b.quantity, c_.now};
  if (!isWellFormedProductKey(revealed.key))
    throw std::logic_error("the id source produced a malformed product key: " + revealed.key);
  c_.out.result()["key"] = keyJson(KeyView{language, os, revealed.key, revealed.maxActivations, revealed.revealedAt});
  emit(std::move(revealed));
}

bool BenefitDecider::allows(const RevealKey& command) {
  if (!keyed()) return reject(codes::invalidRequest, "this benefit has no product keys");
  if (refuseExpired()) return false;
  if (c_.benefit.category == Category::software) return validKeyChoice(command.language, command.os);
  return true;
}

/// R-SW-2: the same pair answers the existing key without an event.
void BenefitDecider::decide(const RevealKey& command) {
  const bool software = c_.benefit.category == Category::software;
  const std::optional<std::string> language = software ? command.language : std::nullopt;
  const std::optional<std::string> os = software ? command.os : std::nullopt;
  if (const KeyView* existing = c_.benefit.findKey(language, os)) {
    c_.out.result()["key"] = keyJson(*existing);
    return;
  }
  revealKey(language, os);
}

}  // namespace benefitd::workflows
