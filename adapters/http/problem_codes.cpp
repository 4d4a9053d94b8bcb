#include "adapters/http/problem_codes.h"

#include <array>

namespace benefitd::http {

namespace {

// API.md's table, plus the codes that the contract names in its prose.
constexpr std::array<ProblemCode, 33> kCodes{{
    {"invalid-request", 400, "Invalid request"},
    {"unknown-user", 400, "Unknown user"},
    {"marketing-email-same-as-account", 400, "Marketing email same as account email"},
    {"access-id-required", 400, "Access ID required"},
    {"unauthenticated", 401, "Unauthenticated"},
    {"forbidden", 403, "Forbidden"},
    {"not-found", 404, "Not found"},
    {"method-not-allowed", 405, "Method not allowed"},
    {"invalid-transition", 409, "Invalid transition"},
    {"membership-in-pmc", 409, "Membership in Partner Membership Center"},
    {"package-not-active", 409, "Package not active"},
    {"refund-window-closed", 409, "Refund window closed"},
    {"software-benefit-activated", 409, "Software benefit activated"},
    {"renewal-not-open", 409, "Renewal not open"},
    {"renewal-window-closed", 409, "Renewal window closed"},
    {"marketing-contact-required", 409, "Marketing contact required"},
    {"no-seats-available", 409, "No seats available"},
    {"user-already-assigned", 409, "User already assigned"},
    {"reassignment-too-early", 409, "Reassignment too early"},
    {"not-available-for-package", 409, "Not available for package"},
    {"benefit-not-active", 409, "Benefit not active"},
    {"insufficient-balance", 409, "Insufficient balance"},
    {"clock-not-simulated", 409, "Clock not simulated"},
    {"idempotency-key-in-flight", 409, "Idempotency key in flight"},
    {"last-global-admin", 409, "Last global admin"},
    {"user-is-marketing-contact", 409, "User is the marketing contact"},
    {"version-mismatch", 412, "Version mismatch"},
    {"payload-too-large", 413, "Payload too large"},
    {"unsupported-media-type", 415, "Unsupported media type"},
    {"idempotency-key-reused", 422, "Idempotency key reused"},
    {"too-many-requests", 429, "Too many requests"},
    // Not in the table: headers over the session's limit.
    {"header-fields-too-large", 431, "Request header fields too large"},
    {"unavailable", 503, "Unavailable"},
}};

}  // namespace

std::span<const ProblemCode> problem_codes() { return kCodes; }

}  // namespace benefitd::http
