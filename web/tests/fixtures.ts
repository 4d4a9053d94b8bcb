// The suite's fixtures: the server (one per worker), the browser's API traffic recorded as
// exchange-log JSON lines for the OpenAPI validator (docs/http.md, "Holding the OpenAPI
// document to the server"), and the steps every flow shares (sign in, set up a partner).
import { test as base, expect, type APIRequestContext, type BrowserContext, type Page, type Response } from '@playwright/test';
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OPERATOR_TOKEN, startServer, type Server } from './server';

const API_PATH = /^\/(v1\/|healthz$|metrics$|openapi\.json$)/;

/** One exchange in the format tests/api-contract/validate-exchanges.mjs reads. */
async function exchangeLine(response: Response): Promise<string | null> {
  const request = response.request();
  const url = new URL(response.url());
  if (!API_PATH.test(url.pathname)) return null;
  const requestHeaders = await request.allHeaders();
  if (requestHeaders.authorization) requestHeaders.authorization = 'Bearer <redacted>';
  let body = '';
  try {
    body = await response.text();
  } catch {
    // 204 and 304 have no body; any other whose body is gone (the page closed while a long-poll
    // was answered) cannot be recorded faithfully.
    if (response.status() !== 204 && response.status() !== 304) return null;
  }
  return JSON.stringify({
    method: request.method(),
    path: url.pathname + url.search,
    requestHeaders,
    requestBody: request.postData() ?? '',
    status: response.status(),
    responseHeaders: await response.allHeaders(),
    responseBody: body,
  });
}

function recordExchanges(context: BrowserContext, file: string): () => Promise<void> {
  const pending: Promise<void>[] = [];
  context.on('response', (response) => {
    pending.push(
      exchangeLine(response)
        .then((line) => {
          if (line) appendFileSync(file, line + '\n');
        })
        .catch(() => undefined),
    );
  });
  return async () => {
    await Promise.all(pending);
  };
}

export interface Partner {
  partnerId: string;
  adminToken: string;
  accountEmail: string;
}

export class Setup {
  constructor(private readonly api: APIRequestContext) {}

  private async call<T>(method: 'GET' | 'POST', path: string, token: string, data?: unknown): Promise<T> {
    const response = await this.api.fetch(path, {
      method,
      headers: { Authorization: `Bearer ${token}` },
      ...(data === undefined ? {} : { data }),
    });
    expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBeTruthy();
    return (await response.json()) as T;
  }

  /** A partner with its global admin, registered by the operator. */
  async partner(name: string, membershipLocation: 'partner-center' | 'pmc' = 'partner-center'): Promise<Partner> {
    const slug = `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}`;
    const accountEmail = `program@${slug}.test`;
    const body = await this.call<{ partnerId: string; globalAdmin: { token: string } }>('POST', '/v1/partners', OPERATOR_TOKEN, {
      name,
      accountEmail,
      membershipLocation,
      globalAdmin: { email: `ada@${slug}.test`, displayName: 'Ada Admin' },
    });
    return { partnerId: body.partnerId, adminToken: body.globalAdmin.token, accountEmail };
  }

  async user(partner: Partner, displayName: string, roles: string[]): Promise<{ userId: string; token: string }> {
    const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}@${partner.partnerId.toLowerCase()}.test`;
    return this.call('POST', `/v1/partners/${partner.partnerId}/users`, partner.adminToken, { email, displayName, roles });
  }

  async buy(partner: Partner, type: string): Promise<{ packageId: string }> {
    return this.call('POST', `/v1/partners/${partner.partnerId}/packages`, partner.adminToken, { type });
  }
}

type TestFixtures = { server: Server; setup: Setup; serverFlags: string[] };

// One server per test: each flow starts on Monday 2026-01-05 09:00 UTC whatever the others did
// with the clock (a start costs well under a second).
export const test = base.extend<TestFixtures>({
  serverFlags: [[], { option: true }],
  server: async ({ serverFlags }, use) => {
    const server = await startServer(serverFlags);
    await use(server);
    await server.stop();
  },
  baseURL: async ({ server }, use) => use(server.baseURL),
  setup: async ({ request }, use) => use(new Setup(request)),
  context: async ({ context }, use, testInfo) => {
    const directory = process.env.EXCHANGE_LOG_DIR;
    if (!directory) return use(context);
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${basename(testInfo.file, '.spec.ts')}-${testInfo.workerIndex}.jsonl`);
    const flush = recordExchanges(context, file);
    await use(context);
    await flush();
  },
});

export { expect };

/** Signs in on a fresh tab with `token`, and waits until the page says who is signed in. */
export async function signIn(page: Page, token: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Signed in as')).toBeVisible();
}

/** The row of a benefit on the Benefits screen, by its product (or Go-To-Market offer) name. */
export function benefitRow(page: Page, name: string) {
  return page.locator('table.benefits > tbody').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

/** Expands a benefit's row with the down arrow at the far right. */
export async function expand(page: Page, name: string) {
  const row = benefitRow(page, name).first();
  await row.getByRole('button', { name: `Details of ${name}` }).click();
  return row;
}

/** Moves the simulated clock through the operator console, in a tab of its own. */
export async function advanceClock(context: BrowserContext, days: number): Promise<void> {
  const page = await context.newPage();
  await signIn(page, OPERATOR_TOKEN, '/operator');
  await page.getByRole('link', { name: 'Operator console' }).click();
  await page.getByLabel('Days').fill(String(days));
  await page.getByLabel('Hours').fill('0');
  await page.getByRole('button', { name: 'Advance' }).click();
  await expect(page.getByText(/timers fired/)).toBeVisible();
  await page.close();
}
