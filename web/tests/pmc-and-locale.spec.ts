// A partner still in the Partner Membership Center sees the banner and no benefit actions; the
// operator's migration lifts both. The Polish page uses the seed's Polish terms.
import { OPERATOR_TOKEN } from './server';
import { expect, signIn, test } from './fixtures';

test('a PMC partner sees the banner and no benefit actions until migrated', async ({ page, context, setup }) => {
  const partner = await setup.partner('Fabrikam Legacy', 'pmc');
  await signIn(page, partner.adminToken);
  const banner = page.getByRole('note');
  await expect(banner).toContainText('Partner Membership Center');
  await expect(banner).toContainText('Partner Frontline');
  await page.getByRole('link', { name: 'Packages' }).click();
  await expect(page.getByRole('heading', { name: 'Catalog' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Buy/ })).toHaveCount(0);

  const operator = await context.newPage();
  await signIn(operator, OPERATOR_TOKEN, '/operator');
  const row = operator.locator('table.partners tbody tr').filter({ hasText: 'Fabrikam Legacy' });
  await row.getByRole('button', { name: 'Migrate from PMC' }).click();
  await expect(row).toContainText('Partner Center');

  await expect(banner).toHaveCount(0); // without a reload
  await expect(page.getByRole('button', { name: 'Buy: Action Pack' })).toBeVisible();
});

test('pl-PL: the seed\'s Polish terms', async ({ page, setup }) => {
  const partner = await setup.partner('Contoso Polska');
  await setup.buy(partner, 'silver-competency');
  await signIn(page, partner.adminToken);
  await page.getByLabel('Language').selectOption('pl-PL');
  await expect(page.locator('html')).toHaveAttribute('lang', 'pl-PL');
  for (const tab of ['Oprogramowanie', 'Chmura', 'Subskrypcje programu Visual Studio', 'Korzyści techniczne', 'Go-To-Market'])
    await expect(page.getByRole('tab', { name: tab })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Stan' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Data wygaśnięcia' })).toBeVisible();
  await expect(page.locator('.status').first()).toHaveText('Zakupiona');
  const row = await page.locator('table.benefits > tbody').first();
  await row.getByRole('button', { name: /^Szczegóły/ }).click();
  await expect(row.getByRole('button', { name: 'Pobierz klucze' })).toBeVisible();
  await page.getByRole('tab', { name: 'Subskrypcje programu Visual Studio' }).click();
  await page.locator('table.benefits > tbody').first().getByRole('button', { name: /^Szczegóły/ }).click();
  await expect(page.getByRole('button', { name: 'Przypisz użytkownika' })).toBeVisible();
  await page.getByRole('tab', { name: 'Korzyści techniczne' }).click();
  await page.locator('table.benefits > tbody').first().getByRole('button', { name: /^Szczegóły/ }).click();
  await expect(page.getByRole('button', { name: 'Aktywuj' })).toBeVisible();
  // Dates per locale: "5 sty 2027".
  await expect(page.locator('table.benefits time').first()).toContainText('sty');
});
