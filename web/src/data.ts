// The views the screens share, each kept current by long-poll (api/live.ts).
import { apiPath } from './api/client';
import { readAll, readOne, useLiveResource } from './api/live';
import type { Benefit, Catalog, Clock, Package, Partner, User } from './api/types';
import { markBenefitsArrived } from './timing';

/** Lists are read in pages of the largest size the API allows. */
export const PAGE_LIMIT = 500;

function useList<T>(partnerId: string | null, what: 'benefits' | 'packages' | 'users', live: boolean) {
  const path = partnerId ? apiPath(['partners', partnerId, what], { limit: PAGE_LIMIT }) : null;
  return useLiveResource<T[]>(path, (signal, noteEtag) => readAll<T>(path!, signal, noteEtag), live);
}

// Benefits and packages change by themselves (fulfilment, timers): live. Users change only by
// commands, after which the screens refresh them; one poll fewer holds one connection fewer.
export function useBenefits(partnerId: string | null) {
  const path = partnerId ? apiPath(['partners', partnerId, 'benefits'], { limit: PAGE_LIMIT }) : null;
  return useLiveResource<Benefit[]>(path, async (signal, noteEtag) => {
    const items = await readAll<Benefit>(path!, signal, noteEtag);
    markBenefitsArrived();
    return items;
  });
}
export const usePackages = (partnerId: string | null, live = true) =>
  useList<Package>(partnerId, 'packages', live);
export const useUsers = (partnerId: string | null) => useList<User>(partnerId, 'users', false);

export function usePartner(partnerId: string | null) {
  const path = partnerId ? apiPath(['partners', partnerId]) : null;
  return useLiveResource<Partner>(path, (signal, noteEtag) => readOne<Partner>(path!, signal, noteEtag));
}

export function useCatalog() {
  return useLiveResource<Catalog>('/v1/catalog', (signal, noteEtag) => readOne<Catalog>('/v1/catalog', signal, noteEtag), false);
}

/** The engine's clock (simulated in tests and demos): read once; refresh() when it matters. */
export function useClock() {
  return useLiveResource<Clock>('/v1/clock', (signal, noteEtag) => readOne<Clock>('/v1/clock', signal, noteEtag), false);
}

/** "Ada Admin" for a user id, or the id itself when the user is not (or no longer) listed. */
export function userName(users: readonly User[] | undefined, userId: string | null | undefined): string {
  if (!userId) return '–';
  return users?.find((user) => user.userId === userId)?.displayName ?? userId;
}
