import type { WaitingItem } from '../../application/workspace';
import type { StaffRole } from '../../config/config';
import { textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import { LanguageMenu } from './kit/languageMenu';
import { processTypeInWords, rolesInWords, statusInWords } from './kit/processWords';
import { staffConsole } from './kit/staffConsole';
import { finnishTime } from './kit/time';

/**
 * A member of staff's home page: for each of their roles, what waits for
 * it (soonest deadline first), with filters by state, case number,
 * organisation and deadline, each row opening the process's own page.
 * Served from Temporal visibility; see application/workspace.ts.
 */

export interface WorkspaceFilterValues {
  status?: string;
  caseNumber?: string;
  name?: string;
  organization?: string;
  dueBefore?: string;
}

export interface WorkspacePageProps {
  language: Language;
  organization: string;
  signedIn: boolean;
  /** Each role's page of rows; `next` is the cursor of the page after it, `continued` says this is not the first page. */
  lists: { role: StaffRole; items: WaitingItem[]; next?: string; continued?: boolean }[];
  filter: WorkspaceFilterValues;
}

/** Where a process is worked on: its own page, where it has one. */
function detailHref(item: WaitingItem): string | undefined {
  const id = encodeURIComponent(item.processId);
  switch (item.processType) {
    case 'formToDecision':
      return `/kasittely/hakemukset/${id}`;
    case 'employmentContract':
      return `/hr/contracts/${id}`;
    case 'minutesReview':
      return `/minutes/${id}`;
    default:
      return undefined;
  }
}

export function workspacePage(p: WorkspacePageProps): string {
  const t = textsFor(p.language);
  const w = t.workspace;
  const query = new URLSearchParams(Object.entries(p.filter).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return staffConsole({
    language: p.language,
    title: w.title,
    stylesheet: 'console',
    script: 'workspace',
    header: (
      <>
        <h1>{w.heading}</h1>
        <p>{p.organization}</p>
        <LanguageMenu current={p.language} href={(l) => `/tyotila?lang=${l}${query ? `&${query}` : ''}`} />
        {p.signedIn && (
          <button type="button" id="sign-out">
            {w.signOut}
          </button>
        )}
      </>
    ),
    children: (
      <>
        <p id="problem" role="alert"></p>
        {!p.signedIn ? (
          <section aria-labelledby="signin-title">
            <h2 id="signin-title">{w.signInHeading}</h2>
            <form id="signin-form">
              <label for="token">{w.token}</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required />
              <button type="submit">{w.signIn}</button>
            </form>
          </section>
        ) : (
          <>
            <section aria-labelledby="filters-title">
              <h2 id="filters-title">{w.filters}</h2>
              <form method="get" action="/tyotila">
                <label for="status">{w.status}</label>
                <select id="status" name="status">
                  <option value="">{w.anyStatus}</option>
                  {Object.entries(t.process.statuses).map(([code, words]) => (
                    <option key={code} value={code} selected={p.filter.status === code}>
                      {words}
                    </option>
                  ))}
                </select>
                <label for="caseNumber">{w.caseNumber}</label>
                <input id="caseNumber" name="caseNumber" value={p.filter.caseNumber ?? ''} />
                <label for="name">{w.name}</label>
                <input id="name" name="name" type="search" autocomplete="off" value={p.filter.name ?? ''} />
                <label for="organization">{w.organization}</label>
                <input id="organization" name="organization" value={p.filter.organization ?? ''} />
                <label for="dueBefore">{w.dueBefore}</label>
                <input id="dueBefore" name="dueBefore" type="date" value={p.filter.dueBefore ?? ''} />
                <button type="submit">{w.apply}</button>
              </form>
            </section>
            {p.lists.map(({ role, items, next, continued }) => (
              <section key={role} aria-labelledby={`role-${role}`}>
                <h2 id={`role-${role}`}>{w.forRole(w.staffRoles[role])}</h2>
                {role === 'admin' && (
                  <p>
                    <a href="/admin">{w.stuckList}</a>
                  </p>
                )}
                {items.length === 0 ? (
                  <p>{w.nothing}</p>
                ) : (
                  <table class="process-table">
                    <caption>{w.forRole(w.staffRoles[role])}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{w.columns.what}</th>
                        <th scope="col">{w.columns.status}</th>
                        <th scope="col">{w.columns.until}</th>
                        <th scope="col">{w.columns.open}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((item) => {
                        const href = detailHref(item);
                        return (
                          <tr key={item.processId}>
                            <td>
                              {processTypeInWords(item.processType, t)}
                              {item.caseNumber ? ` ${item.caseNumber}` : ''}
                            </td>
                            <td>
                              {statusInWords(item.status, t)}
                              <br />
                              {rolesInWords(item.waitingFor, t)}
                            </td>
                            <td>{item.waitingUntil ? finnishTime(item.waitingUntil, p.language) : w.noDeadline}</td>
                            <td>
                              {href && (
                                <a href={href}>
                                  {w.open}
                                  <span class="visually-hidden"> – {item.caseNumber ?? item.processId}</span>
                                </a>
                              )}{' '}
                              <a href={`/tyotila/prosessit/${encodeURIComponent(item.processId)}`}>
                                {t.timeline.heading}
                                <span class="visually-hidden"> – {item.caseNumber ?? item.processId}</span>
                              </a>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                )}
                {(next || continued) && (
                  <nav aria-label={w.forRole(w.staffRoles[role])} class="pages">
                    {continued && <a href={`/tyotila${query ? `?${query}` : ''}`}>{w.firstPage}</a>}{' '}
                    {next && (
                      <a
                        href={`/tyotila?${new URLSearchParams([...new URLSearchParams(query), ['list', role], ['after', next]]).toString()}`}
                        rel="next"
                      >
                        {w.nextPage}
                      </a>
                    )}
                  </nav>
                )}
              </section>
            ))}
          </>
        )}
      </>
    ),
  });
}
