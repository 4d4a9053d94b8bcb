// Seed, "Manage Go-To-Market offers": the marketing contact first (Add, with an email that must
// differ from the company account's), then Activate; Pending, and after the days of fulfilment
// Status Active with its Expires date, on screen without a reload.
import { advanceClock, benefitRow, expand, expect, signIn, test } from './fixtures';

test('Go-To-Market: marketing contact, Activate, Pending, then Active with Expires without reload', async ({
  page,
  context,
  setup,
}) => {
  const partner = await setup.partner('Contoso Market');
  await setup.buy(partner, 'gold-competency');
  await signIn(page, partner.adminToken);
  await page.getByRole('tab', { name: 'Go-To-Market' }).click();

  // Without a marketing contact the server refuses, and says why next to the button.
  let row = await expand(page, 'Gold Core');
  await row.getByRole('button', { name: 'Activate' }).click();
  await expect(row.getByRole('alert')).toContainText(/marketing contact/i);

  const card = page.getByRole('region', { name: 'Marketing contact' });
  await card.getByRole('button', { name: 'Add' }).click();
  await card.getByLabel('Email').fill(partner.accountEmail.toUpperCase());
  await card.getByLabel('Phone').fill('+48 22 123 45 67');
  await card.getByLabel('Preferred language').selectOption('pl-PL');
  await card.getByRole('button', { name: 'Assign user' }).click();
  await expect(card.getByRole('alert')).toContainText(/differ|account/i);
  await card.getByLabel('Email').fill('marketing@contoso-market.test');
  await card.getByRole('button', { name: 'Assign user' }).click();
  await expect(card.getByText('marketing@contoso-market.test')).toBeVisible();
  await expect(card.getByRole('button', { name: 'Update' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Change' })).toBeVisible();

  row = benefitRow(page, 'Gold Core');
  await row.getByRole('button', { name: 'Activate' }).click();
  const status = row.locator('.status');
  await expect(status).toHaveText(/Pending|Activation requested/);

  // The operator's clock moves in another tab; this one is not reloaded.
  await advanceClock(context, 5);
  await expect(status).toHaveText('Active');
  await expect(row.getByRole('cell').nth(3)).toContainText('2027'); // Expires
  await expect(benefitRow(page, 'ISV Co-sell ready').locator('.status')).toHaveText('Purchased');
});
