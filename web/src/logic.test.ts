// The page's own logic, without a browser: who is offered which control, the page's paths,
// the API paths it builds, message interpolation and both dictionaries.
import { describe, expect, it } from 'vitest';
import { apiPath } from './api/client';
import type { Identity } from './api/types';
import { en } from './i18n/en';
import { pl } from './i18n/pl';
import { interpolate } from './i18n/locale';
import { can } from './permissions';
import { parseRoute, routePath } from './routes';

const user = (roles: Identity['roles']): Identity => ({ kind: 'user', userId: 'U1', partnerId: 'P1', roles });

describe('can: the controls each role is offered (SPEC section 2)', () => {
  it('gives the operator everything, the console included', () => {
    const operator: Identity = { kind: 'operator', roles: [] };
    expect(can(operator, 'operate')).toBe(true);
    expect(can(operator, 'see-keys')).toBe(true);
  });
  it('keeps keys, activation and history from user admins and admin agents (R-AUTH-3, R-AUTH-7)', () => {
    for (const role of ['user-admin', 'admin-agent'] as const) {
      expect(can(user([role]), 'see-keys')).toBe(false);
      expect(can(user([role]), 'activate')).toBe(false);
      expect(can(user([role]), 'audit')).toBe(false);
      expect(can(user([role]), 'buy')).toBe(true);
    }
  });
  it('lets only a global admin assign seats and grant global-admin (R-AUTH-4, R-AUTH-2)', () => {
    expect(can(user(['global-admin']), 'assign-seats')).toBe(true);
    expect(can(user(['mpn-partner-admin']), 'assign-seats')).toBe(false);
    expect(can(user(['user-admin']), 'manage-users')).toBe(true);
    expect(can(user(['user-admin']), 'grant-global-admin')).toBe(false);
  });
  it('offers a user without a role nothing, and no user the console', () => {
    expect(can(user([]), 'view')).toBe(false);
    expect(can(user(['global-admin']), 'operate')).toBe(false);
  });
});

describe('the page paths', () => {
  it('reads the screen and the benefit category, defaulting to Software', () => {
    expect(parseRoute('/')).toEqual({ screen: 'benefits', category: 'software' });
    expect(parseRoute('/benefits/go-to-market')).toEqual({ screen: 'benefits', category: 'go-to-market' });
    expect(parseRoute('/packages')).toEqual({ screen: 'packages', category: 'software' });
    expect(parseRoute('/benefits/unknown')).toEqual({ screen: 'benefits', category: 'software' });
  });
  it('writes them back', () => {
    expect(routePath({ screen: 'benefits', category: 'technical' })).toBe('/benefits/technical');
    expect(routePath({ screen: 'operator' })).toBe('/operator');
  });
});

describe('apiPath', () => {
  it('encodes every segment and parameter, and leaves out empty ones', () => {
    expect(apiPath(['partners', 'P 1/x', 'benefits'], { limit: 500, cursor: undefined, status: '' })).toBe(
      '/v1/partners/P%201%2Fx/benefits?limit=500',
    );
    expect(apiPath(['benefits', 'B1'], { asOf: '2026-01-05T09:00:00Z' })).toBe(
      '/v1/benefits/B1?asOf=2026-01-05T09%3A00%3A00Z',
    );
  });
});

describe('messages', () => {
  it('fills {placeholders} and leaves unknown ones visible', () => {
    expect(interpolate('{free} of {total} seats free', { free: 2, total: 5 })).toBe('2 of 5 seats free');
    expect(interpolate('{missing}', {})).toBe('{missing}');
  });
  it('uses the seed\'s Polish terms', () => {
    expect(pl.software).toBe('Oprogramowanie');
    expect(pl.getKeys).toBe('Pobierz klucze');
    expect(pl.assignUser).toBe('Przypisz użytkownika');
    expect(pl.activate).toBe('Aktywuj');
    expect(pl.status).toBe('Stan');
    expect(pl.expires).toBe('Data wygaśnięcia');
    expect(Object.keys(pl).sort()).toEqual(Object.keys(en).sort());
  });
});
