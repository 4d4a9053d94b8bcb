// Seed, "Manage technical benefits": Activate; allow a few days (three business days, so a
// Friday's request waits over the weekend); then the Access ID and Contract ID, and a support
// request that carries them.
import { advanceClock, benefitRow, expand, expect, signIn, test } from './fixtures';

test('technical: pending over a weekend, then active with its IDs and a support request', async ({
  page,
  context,
  setup,
}) => {
  const partner = await setup.partner('Contoso Support');
  await advanceClock(context, 4); // Monday 5 January -> Friday 9 January
  await setup.buy(partner, 'silver-competency');
  await signIn(page, partner.adminToken, '/benefits/technical');

  let row = await expand(page, 'Technical support');
  await row.getByRole('button', { name: 'Activate' }).click();
  const status = benefitRow(page, 'Technical support').locator('.status');
  await expect(status).toHaveText(/Pending|Activation requested/);
  await expect(row.getByText('Expected by')).toBeVisible();
  await expect(row.locator('dd').filter({ hasText: /14 Jan|Jan 14/ })).toBeVisible(); // Wednesday

  await advanceClock(context, 3); // Monday: still pending, three days so far
  await page.reload(); // the clock's own value is read on load; statuses stay live without it
  row = await expand(page, 'Technical support');
  await expect(status).toHaveText('Pending');
  await expect(row.locator('dt:has-text("Days pending") + dd')).toHaveText('3');

  await advanceClock(context, 2); // Wednesday: done
  await expect(status).toHaveText('Active');
  await expect(row.locator('dt', { hasText: 'Access ID' })).toBeVisible();
  const accessId = await row.locator('dt:has-text("Access ID") + dd').textContent();
  expect(accessId?.trim()).not.toBe('–');

  await row.getByLabel('Type').selectOption({ label: 'Microsoft Product support (recent on-premises products)' });
  await row.getByLabel('Product family').selectOption('on-premises');
  await expect(row.getByLabel('Access ID')).toHaveValue(accessId!.trim());
  await row.getByLabel('Summary').fill('Exchange server stops after update');
  await row.getByRole('button', { name: 'Open support request' }).click();
  await expect(row.getByText(/Support request .+ opened\./)).toBeVisible();
  await expect(row.locator('dt:has-text("Product support incidents") + dd')).toHaveText('14');
});
