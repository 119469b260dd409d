import { staffConsole } from './kit/staffConsole';

/**
 * The registry's page (kirjaamo): sign in with a registry token, then every
 * recent letter batch with a progress bar, what went electronically and on
 * paper, and the report once it is ready. Its script (/assets/registry.js)
 * is a thin client of /api/letter-batches on the staff session cookie; it
 * refreshes itself while a batch is still sending.
 */
export function registryPage(organization: string): string {
  return staffConsole({
    language: 'fi',
    title: 'Kirjaamo – kirjeerät / Registry – letter batches',
    stylesheet: 'console',
    script: 'registry',
    header: (
      <>
        <h1>
          Kirjaamo: kirjeerät <span lang="en">/ Registry: letter batches</span>
        </h1>
        <p>{organization}</p>
      </>
    ),
    children: (
      <>
        <section id="signin" aria-labelledby="signin-title">
          <h2 id="signin-title">
            Kirjaudu <span lang="en">/ Sign in</span>
          </h2>
          <form id="signin-form">
            <label for="token">
              Tunniste <span lang="en">/ Staff token</span>
            </label>
            <input id="token" name="token" type="password" autocomplete="current-password" required />
            <button type="submit">
              Kirjaudu <span lang="en">/ Sign in</span>
            </button>
          </form>
        </section>
        <p id="problem" role="alert"></p>
        <section id="batches-section" aria-labelledby="batches-title" hidden>
          <h2 id="batches-title">
            Erät <span lang="en">/ Batches</span>
          </h2>
          <div id="batches" aria-live="polite"></div>
        </section>
      </>
    ),
  });
}
