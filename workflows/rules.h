// The fixed periods of SPEC sections 4 to 6. They are rules, not catalog data.
// Thread safety: constants.
#pragma once

#include "workflows/time.h"

namespace benefitd::workflows::rules {

inline constexpr days kRefundWindow{30};              // R-PKG-2
inline constexpr days kRenewalWindow{30};             // R-PKG-5
inline constexpr days kVisualStudioGrace{30};         // R-LIFE-5
inline constexpr days kSeatReassignmentDelay{90};     // R-VS-2
inline constexpr int kMaxPresalesHoursPerRequest = 25;  // R-TECH-3

// R-PART-2: what a partner still in the legacy Partner Membership Center is told.
inline constexpr const char* kManageInPmc =
    "this partner's membership is still in the Partner Membership Center (PMC): manage benefits there";
inline constexpr const char* kTechnicalInPmc = "; to activate technical benefits contact Partner Frontline";

}  // namespace benefitd::workflows::rules
