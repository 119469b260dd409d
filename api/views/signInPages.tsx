import { staffConsole } from './kit/staffConsole';

/** The few pages of staff sign-in itself: signed out, and a sign-in that did not succeed, each with the way on. */
function signInStatusPage(title: string, message: string, organization: string, status: 'ok' | 'alert'): string {
  return staffConsole({
    language: 'en',
    title: `${title} – Sinetti – ${organization}`,
    stylesheet: 'hr',
    header: <p>{organization}: Sinetti</p>,
    children: (
      <>
        <h1>{title}</h1>
        <section class={status === 'ok' ? 'ok' : 'errors'} role={status === 'ok' ? 'status' : 'alert'}>
          <p>{message}</p>
        </section>
        <p>
          <a href="/auth/login?returnTo=%2Fhr">Sign in again</a>
        </p>
      </>
    ),
  });
}

export const signedOutPage = (organization: string) =>
  signInStatusPage('Signed out', 'You have signed out of Sinetti.', organization, 'ok');
export const signInFailedPage = (organization: string, message: string) =>
  signInStatusPage('Sign-in did not succeed', message, organization, 'alert');

/** A signed-in person on a page their roles do not cover: the reason in words, and the way to sign in as someone else. */
export function forbiddenPage(message: string, signInHref: string): string {
  return staffConsole({
    language: 'en',
    title: 'Not allowed – Sinetti',
    stylesheet: 'hr',
    header: <p>Sinetti</p>,
    children: (
      <>
        <h1>Not allowed</h1>
        <section class="errors" role="alert">
          <p>{message}</p>
        </section>
        <form method="post" action="/auth/logout">
          <button type="submit">Sign out</button>
        </form>
        <p>
          <a href={signInHref}>Sign in as someone else</a>
        </p>
      </>
    ),
  });
}
