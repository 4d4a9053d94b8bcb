// Seed, "Manage Visual Studio subscriptions": choose a user, Assign user; a user not in the list
// is added in Account settings first; reassignment only after 90 days (refused before, with
// the date it becomes possible).
import { advanceClock, expand, expect, signIn, test } from './fixtures';

test('Visual Studio seats: assign, a refused early reassignment, an allowed one after 90 days', async ({
  page,
  context,
  setup,
}) => {
  const partner = await setup.partner('Contoso Studio');
  await setup.buy(partner, 'action-pack');
  await signIn(page, partner.adminToken);

  // The user to assign is not in the list yet: the page says where to add it.
  await page.getByRole('tab', { name: 'Visual Studio subscriptions' }).click();
  let row = await expand(page, 'Visual Studio Professional');
  await expect(row.getByText('3 of 3 seats free')).toBeVisible();
  await row.getByRole('link', { name: 'Account settings' }).click();
  await expect(page).toHaveURL(/\/users$/);
  await page.getByLabel('Email').fill('dev@contoso-studio.test');
  await page.getByLabel('Display name').fill('Dana Developer');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText('Token for Dana Developer, shown only once')).toBeVisible();
  await page.getByLabel('Email').fill('sam@contoso-studio.test');
  await page.getByLabel('Display name').fill('Sam Second');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('rowheader', { name: 'Sam Second' })).toBeVisible();

  await page.getByRole('link', { name: 'Benefits' }).click();
  await page.getByRole('tab', { name: 'Visual Studio subscriptions' }).click();
  row = await expand(page, 'Visual Studio Professional');
  await row.getByLabel('User', { exact: true }).selectOption({ label: 'Dana Developer <dev@contoso-studio.test>' });
  await row.getByRole('button', { name: 'Assign user' }).click();
  const seat = row.locator('table tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Dana Developer' }) });
  await expect(seat).toBeVisible();
  await expect(seat.getByRole('cell').nth(1)).toContainText('Apr 5, 2026'); // reassignable 90 days on
  await expect(row.getByText('2 of 3 seats free')).toBeVisible();

  await seat.getByLabel('Reassign to').selectOption({ label: 'Sam Second <sam@contoso-studio.test>' });
  await seat.getByRole('button', { name: 'Reassign' }).click();
  await expect(seat.getByRole('alert')).toContainText(/90 days|reassign/i);

  await advanceClock(context, 91);
  await seat.getByRole('button', { name: 'Reassign' }).click();
  await expect(row.getByRole('rowheader', { name: 'Sam Second' })).toBeVisible();
  await expect(row.getByRole('rowheader', { name: 'Dana Developer' })).toHaveCount(0);
});
