// Every flow by keyboard alone: sign in with Enter, move between the category tabs with the
// arrow keys (ARIA tabs), expand a row and Get keys with Tab, Space and Enter only.
import { expect, test } from './fixtures';

test('keyboard alone: sign in, tabs by arrow keys, expand a row, Get keys', async ({ page, setup }) => {
  const partner = await setup.partner('Contoso Keyboard');
  await setup.buy(partner, 'action-pack');
  await page.goto('/');
  await page.keyboard.press('Tab'); // the language
  await page.keyboard.press('Tab'); // the token
  await page.keyboard.type(partner.adminToken);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Signed in as')).toBeVisible();

  await page.getByRole('tab', { name: 'Software' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Cloud' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Cloud' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Go-To-Market' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Software' })).toHaveAttribute('aria-selected', 'true');

  // From the tab: Tab reaches the package filter, then the first row's down arrow (rows are in
  // benefit id order, so which product comes first varies).
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Package')).toBeFocused();
  await page.keyboard.press('Tab');
  const arrow = page.locator('table.benefits button.expand').first();
  await expect(arrow).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(arrow).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab'); // the language
  await page.keyboard.press('Tab'); // the OS
  await page.keyboard.press('Tab'); // Get keys
  await expect(page.getByRole('button', { name: 'Get keys' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.locator('code.product-key')).toHaveCount(1);
});
