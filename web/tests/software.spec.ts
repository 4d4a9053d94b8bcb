// Seed, "Manage software benefits": Software, the down arrow, Get keys, language, OS; another
// combination reveals another key. A user admin sees no keys and no Get keys button.
import { benefitRow, expand, expect, signIn, test } from './fixtures';

test('software keys by language and OS; another combination reveals another key', async ({ page, setup }) => {
  const partner = await setup.partner('Contoso Software');
  await setup.buy(partner, 'action-pack');
  await signIn(page, partner.adminToken);

  await page.getByRole('tab', { name: 'Software' }).click();
  const row = await expand(page, 'Office Professional Plus');
  await row.getByLabel('Language').selectOption('pl-PL');
  await row.getByLabel('Operating system').selectOption('x86');
  await row.getByRole('button', { name: 'Get keys' }).click();

  const keys = row.locator('code.product-key');
  await expect(keys).toHaveCount(1);
  await expect(keys.first()).toHaveText(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);
  await expect(row.locator('table.key-list').getByRole('cell', { name: '10', exact: true })).toBeVisible(); // max activations
  await expect(benefitRow(page, 'Office Professional Plus').getByText('Active', { exact: true })).toBeVisible();

  await row.getByLabel('Language').selectOption('de-DE');
  await row.getByLabel('Operating system').selectOption('x64');
  await row.getByRole('button', { name: 'Get keys' }).click();
  await expect(keys).toHaveCount(2);
  const [first, second] = await keys.allTextContents();
  expect(first).not.toEqual(second);
  await expect(row.getByRole('button', { name: 'Copy: Product key' })).toHaveCount(2);
});

test('a user admin sees no keys and no Get keys button', async ({ page, setup }) => {
  const partner = await setup.partner('Contoso Users');
  await setup.buy(partner, 'action-pack');
  const userAdmin = await setup.user(partner, 'Uma User-Admin', ['user-admin']);
  await signIn(page, userAdmin.token);

  const row = await expand(page, 'Windows Server Standard');
  await expect(row.getByText('Your role may not see product keys.')).toBeVisible();
  await expect(row.getByRole('button', { name: 'Get keys' })).toHaveCount(0);
  await expect(page.getByText('(User admin)')).toBeVisible();
});
