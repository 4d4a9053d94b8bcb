// Every screen: axe-core finds no serious or critical violation; a screenshot of each for
// docs/ui.md (UI_SCREENSHOT_DIR); and the time a partner with 500 benefits takes to render its
// Benefits tab, measured (printed, not asserted).
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { OPERATOR_TOKEN } from './server';
import { expand, expect, signIn, test } from './fixtures';

async function checkScreen(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${name}`,
  ).toEqual([]);
  const directory = process.env.UI_SCREENSHOT_DIR;
  if (directory) {
    mkdirSync(directory, { recursive: true });
    await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true });
  }
}

test('every screen passes axe (no serious or critical violation)', async ({ page, context, setup }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // The page's script: hashed name, cached for a year, sent gzip-encoded.
  const script = page.waitForResponse((response) => /\/assets\/index-[\w-]+\.js$/.test(response.url()));
  const index = await page.goto('/');
  expect(await index!.headerValue('cache-control')).toBe('no-cache');
  expect(await (await script).headerValue('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(await (await script).headerValue('content-encoding')).toBe('gzip');
  await checkScreen(page, 'sign-in');

  const partner = await setup.partner('Contoso');
  await setup.buy(partner, 'silver-competency');
  await setup.user(partner, 'Dana Developer', []);
  await signIn(page, partner.adminToken);
  let row = await expand(page, 'Office Professional Plus');
  await row.getByRole('button', { name: 'Get keys' }).click();
  await expect(row.locator('code.product-key')).toHaveCount(1);
  await checkScreen(page, 'benefits-software');

  await page.getByRole('tab', { name: 'Visual Studio subscriptions' }).click();
  row = await expand(page, 'Visual Studio Enterprise');
  await row.getByRole('button', { name: 'Assign user' }).click();
  await expect(row.locator('table tbody tr')).toHaveCount(1);
  await checkScreen(page, 'benefits-visual-studio');

  await page.getByRole('tab', { name: 'Technical' }).click();
  row = await expand(page, 'Technical support');
  await row.getByRole('button', { name: 'Activate' }).click();
  await expect(row.getByText('Expected by')).toBeVisible();
  await checkScreen(page, 'benefits-technical');

  await page.getByRole('tab', { name: 'Go-To-Market' }).click();
  await page.getByRole('button', { name: 'Add' }).click();
  await checkScreen(page, 'benefits-go-to-market');

  await page.getByRole('link', { name: 'Packages' }).click();
  await expect(page.locator('table.packages')).toBeVisible();
  await checkScreen(page, 'packages');

  await page.getByRole('link', { name: 'Account settings' }).click();
  const dana = page.locator('table.users tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Dana Developer' }) });
  await dana.getByLabel('Admin agent').check();
  await dana.getByRole('button', { name: 'Save roles' }).click();
  await expect(dana.getByRole('cell').nth(1)).toHaveText('Admin agent');
  await checkScreen(page, 'users');

  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.locator('ol.timeline li').first()).toBeVisible();
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('region', { name: /As of/ })).toBeVisible();
  await checkScreen(page, 'history');

  const operator = await context.newPage();
  await operator.setViewportSize({ width: 1280, height: 900 });
  await signIn(operator, OPERATOR_TOKEN, '/operator');
  await expect(operator.locator('table.partners')).toContainText('Contoso');
  await operator.getByRole('button', { name: 'Verify the log' }).click();
  await expect(operator.getByText(/The log is intact/)).toBeVisible();
  const register = operator.getByRole('form', { name: 'Register a partner' });
  await register.getByLabel('Name', { exact: true }).fill('Northwind');
  await register.getByLabel('Account email').fill('program@northwind.test');
  await register.getByLabel('Global admin email').fill('nina@northwind.test');
  await register.getByLabel('Global admin name').fill('Nina Admin');
  await register.getByRole('button', { name: 'Register' }).click();
  await expect(operator.getByText('Global admin token, shown only once')).toBeVisible();
  await expect(operator.locator('table.partners')).toContainText('Northwind');
  await checkScreen(operator, 'operator');

  const pmc = await setup.partner('Fabrikam Legacy', 'pmc');
  const legacy = await context.newPage();
  await legacy.setViewportSize({ width: 1280, height: 900 });
  await signIn(legacy, pmc.adminToken);
  await expect(legacy.getByRole('note')).toBeVisible();
  await checkScreen(legacy, 'pmc-banner');
});

test('the Benefits tab of a partner with 500 benefits (measured, not asserted)', async ({ page, setup }) => {
  const partner = await setup.partner('Contoso Large');
  // 72 Silver packages hold 504 benefits.
  for (let i = 0; i < 72; ++i) await setup.buy(partner, 'silver-competency');
  await signIn(page, partner.adminToken, '/packages');
  await expect(page.locator('table.packages tbody tr')).toHaveCount(72);

  const started = await page.evaluate(() => performance.now());
  await page.getByRole('link', { name: 'Benefits' }).click();
  await expect(page.locator('table.benefits > tbody')).toHaveCount(144); // 2 software benefits per package
  const shown = await page.evaluate(() => performance.now());
  const render = await page.evaluate(() =>
    performance.getEntriesByName('benefits-render').map((entry) => entry.duration),
  );
  const benefits = await page.evaluate(async () => {
    const response = await fetch(location.origin + '/v1/me', {
      headers: { Authorization: `Bearer ${sessionStorage.getItem('benefitd.token')}` },
    });
    return response.ok;
  });
  expect(benefits).toBe(true);
  expect(render.length).toBeGreaterThan(0);
  console.log(
    `benefits tab, 504 benefits (144 rows shown): rows rendered ${render.at(-1)!.toFixed(1)} ms after the list ` +
      `arrived; ${(shown - started).toFixed(0)} ms from the click to the rows, fetching included`,
  );
});
