import { textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import { LanguageMenu } from './kit/languageMenu';
import { staffConsole } from './kit/staffConsole';

/**
 * The registry's page (kirjaamo): every recent letter batch with a progress
 * bar, what went electronically and on paper, and the report once it is
 * ready, in the person's chosen language and in Helsinki time. Its script
 * (/assets/registry.js) is a thin client of /api/letter-batches on the staff
 * session cookie; it refreshes itself while a batch is still sending, and
 * takes its words from the page (data-texts) so it speaks the page's language.
 * The token form is the development fallback, named also in English.
 */
export function registryPage(organization: string, language: Language): string {
  const t = textsFor(language).registry;
  return staffConsole({
    language,
    title: `${t.heading} – ${organization}`,
    stylesheet: 'console',
    script: 'registry',
    header: (
      <>
        <h1>{t.heading}</h1>
        <p>{organization}</p>
        <LanguageMenu current={language} href={(l) => `/registry?lang=${l}`} />
      </>
    ),
    children: (
      <>
        <section id="signin" aria-labelledby="signin-title">
          <h2 id="signin-title">
            {t.signIn} {language === 'en' ? null : <span lang="en">/ Sign in</span>}
          </h2>
          <form id="signin-form">
            <label for="token">
              {t.token} {language === 'en' ? null : <span lang="en">/ Staff token</span>}
            </label>
            <input id="token" name="token" type="password" autocomplete="current-password" required />
            <button type="submit">
              {t.signIn} {language === 'en' ? null : <span lang="en">/ Sign in</span>}
            </button>
          </form>
        </section>
        <p id="problem" role="alert"></p>
        <section id="batches-section" aria-labelledby="batches-title" hidden>
          <h2 id="batches-title">{t.batches}</h2>
          <div id="batches" aria-live="polite" data-language={language} data-texts={JSON.stringify(t)}></div>
        </section>
      </>
    ),
  });
}
