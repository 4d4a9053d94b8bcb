#pragma once
// GET /v1/me: who the bearer token belongs to, so that a client holding only a token (the
// Benefits page after sign-in) learns whether it is the operator or a user, and the user's
// partner and roles. Answered from the authenticated actor alone: no view is read.
// Thread safety: a pure function.

#include <nlohmann/json.hpp>

#include "workflows/actor.h"

namespace benefitd::http {

/// {"kind":"operator","roles":[]} or {"kind":"user","userId","partnerId","roles":[...]}.
nlohmann::json identity_body(const workflows::Actor& actor);

}  // namespace benefitd::http
