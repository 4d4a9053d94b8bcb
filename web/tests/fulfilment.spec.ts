// With external fulfilment the operator works the queue in the console: accept (the partner
// sees Pending with the expected date), complete with the Access ID and Contract ID (the
// partner's page shows them without a reload); a rejection returns the benefit to Purchased
// with the reason.
import { OPERATOR_TOKEN } from './server';
import { benefitRow, expand, expect, signIn, test } from './fixtures';

test.use({ serverFlags: ['--fulfilment', 'external'] });

test('the operator accepts, completes and rejects fulfilment requests from the console', async ({
  page,
  context,
  setup,
}) => {
  const partner = await setup.partner('Contoso Back Office');
  await setup.buy(partner, 'gold-competency');
  await signIn(page, partner.adminToken, '/benefits/technical');
  const row = await expand(page, 'Technical support');
  await row.getByRole('button', { name: 'Activate' }).click();
  const status = benefitRow(page, 'Technical support').locator('.status');
  await expect(status).toHaveText('Activation requested');

  const operator = await context.newPage();
  await signIn(operator, OPERATOR_TOKEN, '/operator');
  const request = operator.locator('table.queue tbody tr').filter({ hasText: 'technical' });
  await request.getByRole('button', { name: 'Accept' }).click();
  await expect(status).toHaveText('Pending');
  await request.getByRole('button', { name: 'Complete' }).click();
  await expect(operator.locator('table.queue tbody tr')).toHaveCount(0);
  await expect(status).toHaveText('Active');
  await expect(row.locator('dt', { hasText: 'Access ID' })).toBeVisible();

  await page.getByRole('tab', { name: 'Go-To-Market' }).click();
  const card = page.getByRole('region', { name: 'Marketing contact' });
  await card.getByRole('button', { name: 'Add' }).click();
  await card.getByLabel('Email').fill('marketing@back-office.test');
  await card.getByLabel('Phone').fill('+1 555 0100');
  await card.getByRole('button', { name: 'Assign user' }).click();
  await expect(card.getByText('marketing@back-office.test')).toBeVisible();
  const offer = await expand(page, 'Gold Core');
  await offer.getByRole('button', { name: 'Activate' }).click();
  await expect(benefitRow(page, 'Gold Core').locator('.status')).toHaveText('Activation requested');

  const gtm = operator.locator('table.queue tbody tr').filter({ hasText: 'go-to-market' });
  await gtm.getByLabel('Reason').fill('Offer not available in this market');
  await gtm.getByRole('button', { name: 'Reject' }).click();
  await expect(benefitRow(page, 'Gold Core').locator('.status')).toHaveText('Purchased');
  await expect(offer.getByText('The last activation was rejected: Offer not available in this market')).toBeVisible();
});
