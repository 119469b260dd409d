import { textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import { participantPage } from './kit/participantPage';
import { staffConsole } from './kit/staffConsole';

/**
 * The small page a person's browser gets instead of an error's JSON: what happened in their language, and the way on
 * (back to the page they came from, their work list, or sign-in). Staff pages get the staff console's look, the pages
 * of signers and applicants the participants' one.
 */
export type ErrorPageKind = 'notFound' | 'forbidden' | 'unauthenticated' | 'failed' | 'other';

export interface ErrorPageProps {
  language: Language;
  organization: string;
  status: number;
  kind: ErrorPageKind;
  audience: 'staff' | 'public';
  /** A same-site page the person came from. */
  backHref?: string;
  /** Sign-in that comes back to the page asked for. */
  signInHref: string;
  /** For a refused role: the roles the page needs and those the person holds. */
  roles?: { needed: string; held: string };
  /** What the request got wrong, as the API says it (in English): a field to fix, a role it needs. */
  detail?: string;
}

export function errorPage(p: ErrorPageProps): string {
  const t = textsFor(p.language).errorPages;
  const { heading, text } = t[p.kind];
  const body = (
    <>
      <h1>{heading}</h1>
      <section class="errors" role="alert">
        <p>{text}</p>
        {p.roles ? <p>{t.needsRole(p.roles.needed, p.roles.held)}</p> : null}
        {p.detail && !p.roles ? <p lang="en">{p.detail}</p> : null}
        {p.audience === 'public' && p.kind === 'notFound' ? <p>{t.publicHint}</p> : null}
        <p>{t.errorCode(p.status)}</p>
      </section>
      <ul>
        {p.backHref ? (
          <li>
            <a href={p.backHref}>{t.back}</a>
          </li>
        ) : null}
        {p.audience === 'staff' && p.kind !== 'unauthenticated' ? (
          <li>
            <a href="/tyotila">{t.workList}</a>
          </li>
        ) : null}
        {p.audience === 'staff' && (p.kind === 'unauthenticated' || p.kind === 'forbidden') ? (
          <li>
            <a href={p.signInHref}>{p.kind === 'forbidden' ? t.signInAsSomeoneElse : t.signIn}</a>
          </li>
        ) : null}
      </ul>
    </>
  );
  if (p.audience === 'public')
    return participantPage({ language: p.language, title: heading, organization: p.organization, children: body });
  return staffConsole({
    language: p.language,
    title: `${heading} – Sinetti${p.organization ? ` – ${p.organization}` : ''}`,
    stylesheet: 'hr',
    header: <p>{p.organization ? `${p.organization}: Sinetti` : 'Sinetti'}</p>,
    children: body,
  });
}
