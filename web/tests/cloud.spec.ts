// Seed, "Manage cloud services benefits": Cloud, the down arrow; usage-based: assign yourself;
// license-based: Get keys.
import { benefitRow, expand, expect, signIn, test } from './fixtures';

test('cloud: usage-based Assign yourself, license-based Get keys', async ({ page, setup }) => {
  const partner = await setup.partner('Contoso Cloud');
  await setup.buy(partner, 'action-pack');
  await signIn(page, partner.adminToken);
  await page.getByRole('tab', { name: 'Cloud' }).click();
  await expect(page).toHaveURL(/\/benefits\/cloud$/);

  const azure = await expand(page, 'Azure credits');
  await expect(azure.getByText('Usage-based')).toBeVisible();
  await azure.getByRole('button', { name: 'Assign yourself' }).click();
  await expect(azure.getByText('Assigned to: Ada Admin')).toBeVisible();
  await expect(benefitRow(page, 'Azure credits').locator('.status')).toHaveText('Active');
  await expect(azure.getByRole('button', { name: 'Assign yourself' })).toHaveCount(0);

  const m365 = await expand(page, 'Microsoft 365 E3');
  await expect(m365.getByLabel('Language')).toHaveCount(0); // R-CL-2: language and OS not asked
  await m365.getByRole('button', { name: 'Get keys' }).click();
  await expect(m365.locator('code.product-key')).toHaveCount(1);
  await expect(m365.locator('table.key-list').getByRole('cell', { name: '5', exact: true })).toBeVisible();
  await expect(benefitRow(page, 'Microsoft 365 E3').locator('.status')).toHaveText('Active');
});
