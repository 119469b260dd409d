import { type Page } from 'playwright-core';
import { DEVELOPMENT_USERS } from '../../integrations/identityProvider/developmentUsers';

/**
 * Signs a development user in through the real flow: Sinetti's /auth/login,
 * the development identity provider's password form, the callback, and back
 * to `returnTo`. For new tests; the old ones keep their development tokens.
 */
export async function signInThroughProvider(page: Page, baseUrl: string, username: string, returnTo = '/hr'): Promise<void> {
  const user = DEVELOPMENT_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`No development user ${username}`);
  await page.goto(`${baseUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await fillProviderForm(page, user.username, user.password);
  await page.waitForURL((url) => url.href.startsWith(baseUrl) && url.pathname + url.search === returnTo);
}

/** The development provider's form, where a staff page's redirect has brought the browser. */
export async function fillProviderForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The session cookie's value in the browser, to replay it after sign-out. */
export async function sessionCookie(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'sinetti_staff')?.value;
}
