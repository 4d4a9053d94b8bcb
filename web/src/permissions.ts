// Which controls a signed-in caller is offered (SPEC section 2). The server decides; the page
// only leaves out what the caller's roles may not do, so nobody is shown a button that can
// only be refused.
import type { Identity, Role } from './api/types';

export type Capability =
  | 'view' // partner, users, packages, benefits
  | 'buy' // purchase or renew a package (R-AUTH-1)
  | 'manage-users' // add users, change roles (R-AUTH-2)
  | 'grant-global-admin'
  | 'activate' // activate, get keys, support requests (R-AUTH-3)
  | 'see-keys' // R-SW-2
  | 'assign-seats' // R-AUTH-4
  | 'marketing' // marketing contact, Go-To-Market activation (R-AUTH-5)
  | 'cancel' // cancellation with refund (R-AUTH-6)
  | 'audit' // the partner's history (R-AUTH-7)
  | 'operate'; // the operator console

const ANY_ROLE: readonly Role[] = ['global-admin', 'user-admin', 'admin-agent', 'mpn-partner-admin'];
const ADMINS: readonly Role[] = ['global-admin', 'mpn-partner-admin'];

const rolesFor: Record<Exclude<Capability, 'operate'>, readonly Role[]> = {
  view: ANY_ROLE,
  buy: ANY_ROLE,
  'manage-users': ['global-admin', 'user-admin'],
  'grant-global-admin': ['global-admin'],
  activate: ADMINS,
  'see-keys': ADMINS,
  'assign-seats': ['global-admin'],
  marketing: ADMINS,
  cancel: ADMINS,
  audit: ADMINS,
};

export function can(identity: Identity, capability: Capability): boolean {
  if (identity.kind === 'operator') return true;
  if (capability === 'operate') return false;
  return (identity.roles ?? []).some((role) => rolesFor[capability].includes(role));
}
