import type { WorkspaceService } from '../../application/workspace';
import { textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import { LanguageMenu } from './kit/languageMenu';
import { processTypeInWords, rolesInWords, statusInWords } from './kit/processWords';
import { staffConsole } from './kit/staffConsole';
import { finnishTime } from './kit/time';

/** One process for staff: where it stands, who is awaited and until when, and its steps so far as a timeline in words. */

export type ProcessDetail = Awaited<ReturnType<WorkspaceService['detail']>>;

export function processDetailPage(p: { language: Language; organization: string; detail: ProcessDetail }): string {
  const t = textsFor(p.language);
  const tl = t.timeline;
  const d = p.detail;
  const what = `${processTypeInWords(d.processType, t)}${d.caseNumber ? ` ${d.caseNumber}` : ''}`;
  const actionWords = (action: string): string =>
    tl.actions[action] ?? (t.auditCertificate.actions as Record<string, string>)[action] ?? action;
  return staffConsole({
    language: p.language,
    title: tl.detailTitle(what),
    stylesheet: 'console',
    header: (
      <>
        <p>{p.organization}</p>
        <LanguageMenu current={p.language} href={(l) => `/tyotila/prosessit/${encodeURIComponent(d.processId)}?lang=${l}`} />
      </>
    ),
    children: (
      <>
        <p>
          <a href="/tyotila">{t.workspace.heading}</a>
        </p>
        <h1>{tl.detailTitle(what)}</h1>
        <dl>
          <dt>{tl.state}</dt>
          <dd>{statusInWords(d.status, t)}</dd>
          {d.running && (
            <>
              <dt>{tl.awaited}</dt>
              <dd>{rolesInWords(d.waitingFor, t)}</dd>
              <dt>{tl.until}</dt>
              <dd>{d.waitingUntil ? finnishTime(d.waitingUntil, p.language) : t.workspace.noDeadline}</dd>
            </>
          )}
          <dt>{tl.started}</dt>
          <dd>{finnishTime(d.startedAt, p.language)}</dd>
        </dl>
        <h2>{tl.heading}</h2>
        {d.steps.length === 0 ? (
          <p>{tl.noEvents}</p>
        ) : (
          <ol class="timeline">
            {d.steps.map((step, i) => (
              <li key={i}>
                <time datetime={step.at}>{finnishTime(step.at, p.language)}</time> – {actionWords(step.action)} (
                {tl.by(tl.actors[step.actorKind] ?? step.actorKind)})
              </li>
            ))}
          </ol>
        )}
      </>
    ),
  });
}
