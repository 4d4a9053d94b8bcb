// Visual Studio seats (R-VS-1..3).
#include "workflows/benefit_rules.h"

namespace benefitd::workflows {

namespace {

const char* const kAddUserFirst = "add the user in account settings first";

}  // namespace

bool BenefitDecider::allowsVisualStudioActivation(const ActivateBenefit& command) {
  if (!command.userId) return reject(codes::invalidRequest, "userId is required", {{"errors", {{{"field", "userId"}}}}});
  if (!c_.partner || !c_.partner->findUser(*command.userId))
    return reject(codes::unknownUser, "user " + *command.userId + " is not a user of this partner: " + kAddUserFirst);
  return true;  // the catalog guarantees at least one seat
}

void BenefitDecider::assignSeat(const std::string& userId, Time assignedAt, bool carriedOver, std::string seatId) {
  c_.out.result()["seatId"] = seatId;
  emit(SeatAssigned{c_.benefit.benefitId, std::move(seatId), userId, assignedAt, carriedOver});
}

bool BenefitDecider::allows(const AssignSeat& command) {
  const BenefitView& b = c_.benefit;
  if (b.category != Category::visualStudio) return reject(codes::invalidRequest, "only Visual Studio benefits have seats");
  if (refuseExpired()) return false;
  if (!c_.partner || !c_.partner->findUser(command.userId))
    return reject(codes::unknownUser, "user " + command.userId + " is not a user of this partner: " + kAddUserFirst);
  if (b.findSeatOf(command.userId))
    return reject(codes::userAlreadyAssigned, "user " + command.userId + " already holds a seat of this subscription");
  if (static_cast<int>(b.seats.size()) >= b.quantity)
    return reject(codes::noSeatsAvailable, "all " + std::to_string(b.quantity) + " seats are assigned",
                  {{"seatsTotal", b.quantity}});
  return true;
}

void BenefitDecider::decide(const AssignSeat& command) {
  assignSeat(command.userId, c_.now, false, c_.ids.newId(IdKind::seat));
}

bool BenefitDecider::allows(const ReassignSeat& command) {
  const BenefitView& b = c_.benefit;
  if (b.category != Category::visualStudio) return reject(codes::invalidRequest, "only Visual Studio benefits have seats");
  if (refuseExpired()) return false;
  const SeatView* seat = b.findSeat(command.seatId);
  if (!seat) return reject(codes::notFound, "no seat " + command.seatId + " in this subscription");
  if (!c_.partner || !c_.partner->findUser(command.userId))
    return reject(codes::unknownUser, "user " + command.userId + " is not a user of this partner: " + kAddUserFirst);
  if (b.findSeatOf(command.userId))
    return reject(codes::userAlreadyAssigned, "user " + command.userId + " already holds a seat of this subscription");
  if (c_.now < seat->reassignableAt())  // R-VS-2: now >= assignedAt + 90 days
    return reject(codes::reassignmentTooEarly,
                  "a seat can be reassigned 90 days after its assignment, from " + formatTime(seat->reassignableAt()),
                  {{"reassignableAt", formatTime(seat->reassignableAt())}});
  return true;
}

void BenefitDecider::decide(const ReassignSeat& command) {
  const SeatView* seat = c_.benefit.findSeat(command.seatId);
  c_.out.result()["seatId"] = command.seatId;
  emit(SeatReassigned{c_.benefit.benefitId, command.seatId, seat->userId, command.userId, c_.now});
}

}  // namespace benefitd::workflows
