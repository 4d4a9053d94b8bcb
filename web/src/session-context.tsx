// Who is signed in (from GET /v1/me) and whose partner data the screens show: a user's own
// partner, or for the operator the partner chosen in the console.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Identity } from './api/types';
import { can, type Capability } from './permissions';

export interface SessionState {
  identity: Identity;
  partnerId: string | null;
  choosePartner: (partnerId: string) => void;
  signOut: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState & { can: (capability: Capability) => boolean } {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return { ...session, can: (capability) => can(session.identity, capability) };
}
