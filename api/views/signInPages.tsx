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
