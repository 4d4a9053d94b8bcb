// Seed, "Cancel a membership benefit or offer": within 30 days and no software keys revealed,
// cancellation with refund; refused (in words) once keys were revealed. Renewal after expiry.
import { advanceClock, expand, expect, signIn, test } from './fixtures';

test('cancel with refund; refused once software keys were revealed', async ({ page, context, setup }) => {
  const partner = await setup.partner('Contoso Refunds');
  await signIn(page, partner.adminToken, '/packages');
  await page.getByRole('button', { name: 'Buy: Action Pack' }).click();
  await expect(page.getByText('Bought Action Pack.')).toBeVisible();
  await page.getByRole('button', { name: 'Buy: Silver competency' }).click();
  const action = page.locator('table.packages tbody tr').filter({ hasText: 'Action Pack' });
  const silver = page.locator('table.packages tbody tr').filter({ hasText: 'Silver competency' });
  await expect(silver).toBeVisible();
  await expect(action.getByRole('cell').nth(3)).not.toHaveText('–'); // refundable until

  // Keys of the Silver package's software: its refund is refused, and the page says why.
  await page.getByRole('link', { name: 'Benefits' }).click();
  const filter = page.getByLabel('Package');
  await filter.selectOption((await filter.locator('option', { hasText: 'Silver competency' }).getAttribute('value'))!);
  const row = await expand(page, 'Windows Server Standard');
  await row.getByRole('button', { name: 'Get keys' }).click();
  await expect(row.locator('code.product-key')).toHaveCount(1);
  await page.getByRole('link', { name: 'Packages' }).click();
  await silver.getByLabel('Reason').fill('Bought by mistake');
  await silver.getByRole('button', { name: 'Cancel with refund' }).click();
  await expect(silver.getByRole('alert')).toContainText(/software/i);

  await action.getByLabel('Reason').fill('Bought by mistake');
  await action.getByRole('button', { name: 'Cancel with refund' }).click();
  await expect(action.locator('.status')).toHaveText('Cancellation requested');
  await advanceClock(context, 3); // two business days of the cancellation's service request
  await expect(action.locator('.status')).toHaveText('Cancelled');
  await expect(action.getByRole('cell').nth(5)).toHaveText('$530.00'); // the refund
});

test('renewal after expiry, inside the renewal window', async ({ page, context, setup }) => {
  const partner = await setup.partner('Contoso Renewals');
  await setup.buy(partner, 'action-pack');
  await signIn(page, partner.adminToken, '/packages');
  const pack = page.locator('table.packages tbody tr').first();
  await expect(pack.locator('.status')).toHaveText('Active');
  await expect(pack.getByRole('button', { name: 'Renew' })).toHaveCount(0);

  await advanceClock(context, 366);
  await expect(pack.locator('.status')).toHaveText('Expired');
  await pack.getByRole('button', { name: 'Renew' }).click();
  await expect(pack.locator('.status')).toHaveText('Active');
  await expect(pack.getByRole('cell').nth(2)).toContainText('2028'); // expires a term later
  await page.getByRole('link', { name: 'Benefits' }).click();
  await expect(page.locator('table.benefits .status').filter({ hasText: 'Purchased' })).toHaveCount(2);
});
