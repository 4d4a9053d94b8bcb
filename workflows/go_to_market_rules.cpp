// Go-To-Market offers (R-GTM-1..3).
#include "workflows/benefit_rules.h"

namespace benefitd::workflows {

bool BenefitDecider::allowsGoToMarketActivation() {
  if (!c_.partner || !c_.partner->marketingContact)
    return reject(codes::marketingContactRequired, "assign a marketing contact before activating a Go-To-Market offer");
  return true;
}

/// R-GTM-3: an email to the marketing contact, recorded and queued under one unique id.
void BenefitDecider::notifyMarketingContact(std::string subject) {
  if (!c_.partner || !c_.partner->marketingContact) return;  // activation required one; it is never removed
  const MarketingContactView& contact = *c_.partner->marketingContact;
  const std::string id = c_.ids.newId(IdKind::notification);
  emit(NotificationQueued{c_.benefit.benefitId, id, contact.email, subject, c_.now});
  c_.out.notify(NotificationEffect{id, contact.email, subject,
                                   {{"benefitId", c_.benefit.benefitId},
                                    {"offer", c_.benefit.kind},
                                    {"partnerId", c_.benefit.partnerId},
                                    {"preferredLanguage", contact.preferredLanguage}}});
}

}  // namespace benefitd::workflows
