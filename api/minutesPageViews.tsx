import type { PageChange } from '../common/pageTextDiff';
import { finnishDate } from '../rules/rectificationPeriod';
import type { MinutesFeedback, MinutesReviewRecord, MinutesSection, PublishedMinutes } from '../store/minutesReviews';
import { type Catalog, textsFor } from '../texts/catalog';
import type { Language } from '../texts/language';
import type { MinutesReviewState } from '../workflows/minutesReview';
import { ConsentBox, ErrorSummary, TextField } from './views/kit/formControls';
import { PageImages } from './views/kit/pageImages';
import { readableTime, Time } from './views/kit/time';
import { explanationPage, participantPage } from './views/kit/participantPage';

/**
 * The minutes pages, rendered on the server: the checker's review page and
 * the chair's and secretary's signing page (phone first, no script, fi/sv/en,
 * written to WCAG 2.1 AA: declared language, visible labels, errors tied to
 * their fields, 4.5:1 contrast, visible focus), the secretary's staff page
 * and the public page of published minutes.
 */

export type MinutesExplanation = keyof Catalog['minutes']['explain'];
type Texts = Catalog['minutes'];

export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d}.${m}.${y}`;
}

function DiffSection(p: { t: Texts; changes: PageChange[] }) {
  const { t } = p;
  return (
    <section aria-labelledby="changes">
      <h2 id="changes">{t.changes}</h2>
      {p.changes.length === 0 ? (
        <p>{t.changesNone}</p>
      ) : (
        p.changes.map((c) => (
          <>
            <h3>
              {t.page(c.page)}
              {c.status === 'added' ? ` (${t.pageAdded})` : c.status === 'removed' ? ` (${t.pageRemoved})` : ''}
            </h3>
            <ul class="diff">
              {c.lines.map((l) =>
                l.kind === 'removed' ? (
                  <li>
                    <del>
                      <span class="hint">{t.removed}:</span> {l.text}
                    </del>
                  </li>
                ) : (
                  <li>
                    <ins>
                      <span class="hint">{t.added}:</span> {l.text}
                    </ins>
                  </li>
                ),
              )}
            </ul>
          </>
        ))
      )}
    </section>
  );
}

interface MinutesHeading {
  organization: string;
  title: string;
  bodyName: string;
  meeting: { date: string; number: string; place: string };
}

function Details(p: { t: Texts; language: Language; m: MinutesHeading & { roleLabel: string; deadline: Date; versionNumber: number } }) {
  const { t, m } = p;
  return (
    <section aria-labelledby="details">
      <h2 id="details">{m.title}</h2>
      <dl>
        <dt>{t.body}</dt>
        <dd>{m.bodyName}</dd>
        <dt>{t.meeting}</dt>
        <dd>{`${m.meeting.number}, ${formatDay(m.meeting.date)}, ${m.meeting.place}`}</dd>
        <dt>{t.yourRole}</dt>
        <dd>{m.roleLabel}</dd>
        <dt>{t.deadline}</dt>
        <dd>
          <Time at={m.deadline} language={p.language} />
        </dd>
        <dt>{t.document}</dt>
        <dd>{t.version(m.versionNumber)}</dd>
      </dl>
    </section>
  );
}

function DocumentSection(p: { t: Texts; base: string; language: Language; title: string; pageCount: number }) {
  const { t } = p;
  return (
    <section aria-labelledby="document">
      <h2 id="document">{t.document}</h2>
      <p>
        <a href={`${p.base}/document.pdf?lang=${p.language}`}>{t.openPdf}</a>
      </p>
      <PageImages base={p.base} count={p.pageCount} alt={(n) => `${p.title}: ${t.pageImage(n, p.pageCount)}`} />
    </section>
  );
}

export interface ReviewPageModel extends MinutesHeading {
  language: Language;
  checkerName: string;
  deadline: Date;
  versionNumber: number;
  documentSha256: string;
  pageCount: number;
  sections: MinutesSection[];
  checkers: { name: string; status: 'reviewing' | 'approved' | 'corrections'; isYou: boolean }[];
  /** Page-level changes from the previous version; absent in the first round. */
  changes?: PageChange[];
  base: string;
  errors?: { consent?: boolean; comment?: boolean };
  comments?: Record<string, string>;
}

export function reviewPage(m: ReviewPageModel): string {
  const t = textsFor(m.language).minutes;
  const q = `?lang=${m.language}`;
  const errors = [
    m.errors?.consent ? { field: 'consent', message: t.consentMissing } : undefined,
    m.errors?.comment ? { field: `comment-${m.sections[0]?.number ?? 'general'}`, message: t.commentMissing } : undefined,
  ].filter((e) => e !== undefined);
  const value = (name: string) => m.comments?.[name] ?? '';
  return participantPage({
    language: m.language,
    title: `${t.reviewHeading}: ${m.title}`,
    organization: m.organization,
    languageLink: (l) => `${m.base}?lang=${l}`,
    children: (
      <>
        <h1>
          {t.reviewHeading}: {m.title}
        </h1>
        <ErrorSummary heading={t.errorsHeading} errors={errors} />
        <Details t={t} language={m.language} m={{ ...m, roleLabel: t.roles.checker }} />
        <section aria-labelledby="checkers">
          <h2 id="checkers">{t.checkers}</h2>
          <ul>
            {m.checkers.map((c) => (
              <li>
                {c.name}
                {c.isYou ? ` (${t.you})` : ''}: {t.status[c.status]}
              </li>
            ))}
          </ul>
        </section>
        {m.changes ? <DiffSection t={t} changes={m.changes} /> : null}
        <DocumentSection t={t} base={m.base} language={m.language} title={m.title} pageCount={m.pageCount} />
        <form method="post" action={`${m.base}/review${q}`}>
          <input type="hidden" name="documentSha256" value={m.documentSha256} />
          <section aria-labelledby="comments">
            <h2 id="comments">{t.commentsHeading}</h2>
            <p class="hint" id="comments-hint">
              {t.commentsHint}
            </p>
            {m.errors?.comment ? <p class="error">{t.commentMissing}</p> : null}
            {m.sections.map((s) => (
              <>
                <label for={`comment-${s.number}`}>{t.commentFor(s)}</label>
                <textarea id={`comment-${s.number}`} name={`comment-${s.number}`} rows={2} maxlength={4000}>
                  {value(`comment-${s.number}`)}
                </textarea>
              </>
            ))}
            <label for="comment-general">{t.generalComment}</label>
            <textarea id="comment-general" name="comment-general" rows={2} maxlength={4000}>
              {value('comment-general')}
            </textarea>
            <TextField
              id="page-general"
              label={t.pageNumber}
              type="number"
              min={1}
              max={m.pageCount}
              inputmode="numeric"
              value={value('page-general')}
            />
            <button type="submit" name="decision" value="corrections" class="secondary">
              {t.requestCorrections}
            </button>
          </section>
          <section aria-labelledby="decide">
            <h2 id="decide">{t.decideHeading}</h2>
            <ConsentBox id="consent" name="consent" text={t.consent} error={m.errors?.consent ? t.consentMissing : undefined} />
            <button type="submit" name="decision" value="approve" class="primary">
              {t.approve}
            </button>
          </section>
        </form>
      </>
    ),
  });
}

export interface SignMinutesPageModel extends MinutesHeading {
  language: Language;
  role: 'chair' | 'secretary';
  signerName: string;
  deadline: Date;
  versionNumber: number;
  documentSha256: string;
  pageCount: number;
  base: string;
  errors?: { consent?: boolean; name?: boolean };
  typedName?: string;
}

export function signMinutesPage(m: SignMinutesPageModel): string {
  const t = textsFor(m.language).minutes;
  const q = `?lang=${m.language}`;
  const errors = [
    m.errors?.consent ? { field: 'consent', message: t.consentMissing } : undefined,
    m.errors?.name ? { field: 'typedName', message: t.nameMismatch } : undefined,
  ].filter((e) => e !== undefined);
  return participantPage({
    language: m.language,
    title: `${t.signHeading}: ${m.title}`,
    organization: m.organization,
    languageLink: (l) => `${m.base}?lang=${l}`,
    children: (
      <>
        <h1>
          {t.signHeading}: {m.title}
        </h1>
        <ErrorSummary heading={t.errorsHeading} errors={errors} />
        <Details t={t} language={m.language} m={{ ...m, roleLabel: t.roles[m.role] }} />
        <DocumentSection t={t} base={m.base} language={m.language} title={m.title} pageCount={m.pageCount} />
        <section aria-labelledby="sign">
          <h2 id="sign">{t.sign}</h2>
          <form method="post" action={`${m.base}/sign${q}`}>
            <input type="hidden" name="documentSha256" value={m.documentSha256} />
            <ConsentBox
              id="consent"
              name="consent"
              text={t.signConsent}
              required
              error={m.errors?.consent ? t.consentMissing : undefined}
            />
            <TextField
              id="typedName"
              label={t.typedName}
              hint={t.typedNameHint(m.signerName)}
              autocomplete="name"
              required
              value={m.typedName ?? ''}
              error={m.errors?.name ? t.nameMismatch : undefined}
            />
            <button type="submit" class="primary">
              {t.sign}
            </button>
          </form>
        </section>
      </>
    ),
  });
}

export function minutesReceiptPage(m: {
  language: Language;
  organization: string;
  title: string;
  kind: 'approved' | 'corrections' | 'signed';
  decidedAt: Date;
  documentSha256?: string;
  base: string;
  /** For a signer, what has happened since: the others still to sign, all signed and publishing, or published (when). */
  signing?: { allSigned: boolean; publishedAt?: string };
}): string {
  const t = textsFor(m.language).minutes;
  const heading = { approved: t.approvedHeading, corrections: t.correctionsHeading, signed: t.signedHeading }[m.kind];
  // The tense follows what has happened: the last signer is not told the minutes "will be" published once they are.
  const signedInfo = m.signing?.publishedAt
    ? t.publishedInfo(readableTime(m.signing.publishedAt, m.language))
    : m.signing?.allSigned
      ? t.allSignedInfo
      : t.signedInfo;
  const info = { approved: t.approvedInfo, corrections: t.correctionsInfo, signed: signedInfo }[m.kind];
  return participantPage({
    language: m.language,
    title: heading,
    organization: m.organization,
    languageLink: (l) => `${m.base}?lang=${l}`,
    children: (
      <>
        <h1>{heading}</h1>
        <section aria-labelledby="receipt">
          <h2 id="receipt">{m.title}</h2>
          <p>{t.receipt(readableTime(m.decidedAt, m.language))}</p>
          {m.documentSha256 ? (
            <>
              <p>{t.documentHash}:</p>
              <p class="hash">{m.documentSha256}</p>
            </>
          ) : null}
          <p>{info}</p>
        </section>
      </>
    ),
  });
}

export function minutesExplanationPage(language: Language, organization: string, kind: MinutesExplanation, extra?: string): string {
  const [heading, text] = textsFor(language).minutes.explain[kind];
  return explanationPage({ language, organization, heading, texts: [text, extra] });
}

export function versionHint(language: Language, versionNumber: number): string {
  return textsFor(language).minutes.version(versionNumber);
}

function PublishedEntry(p: { t: Texts; m: PublishedMinutes }) {
  const { t, m } = p;
  return (
    <article>
      <h3>
        {m.title} ({m.meeting.number}, {formatDay(m.meeting.date)})
      </h3>
      <dl>
        <dt>{t.published}</dt>
        <dd>{formatDay(finnishDate(new Date(m.publishedAt)))}</dd>
        <dt>{t.notified}</dt>
        <dd>{formatDay(m.notifiedOn)}</dd>
        <dt>{t.periodEnds}</dt>
        <dd>{formatDay(m.lastDay)}</dd>
      </dl>
      {m.status === 'final' ? <p>{t.final}</p> : null}
      {m.versionId ? (
        <p>
          <a href={`/public/minutes/${m.reviewId}.pdf`}>{t.openPublicPdf(m.title)}</a>
        </p>
      ) : null}
      <p>
        <strong>{t.sections}</strong>
      </p>
      <ul>
        {m.sections.map((s) => (
          <li>
            § {s.number} {s.shown === 'note' && s.title.startsWith('Salassa') ? t.confidential : s.title}
            {s.shown !== 'full' ? ` – ${t.shown[s.shown]}` : ''}
          </li>
        ))}
      </ul>
    </article>
  );
}

export function publicMinutesPage(language: Language, organization: string, entries: PublishedMinutes[]): string {
  const t = textsFor(language).minutes;
  const bodies = new Map<string, PublishedMinutes[]>();
  for (const entry of entries) bodies.set(entry.bodyName, [...(bodies.get(entry.bodyName) ?? []), entry]);
  const sorted = [...bodies.entries()].sort(([a], [b]) => a.localeCompare(b, 'fi'));
  return participantPage({
    language,
    title: t.publicHeading,
    organization,
    languageLink: (l) => `/public/minutes?lang=${l}`,
    children: (
      <>
        <h1>{t.publicHeading}</h1>
        <p>{t.publicIntro}</p>
        {sorted.length === 0 ? (
          <p>{t.noneYet}</p>
        ) : (
          sorted.map(([bodyName, items], bodyIndex) => (
            <section aria-labelledby={`body-${bodyIndex}`}>
              <h2 id={`body-${bodyIndex}`}>{bodyName}</h2>
              {items.map((m) => (
                <PublishedEntry t={t} m={m} />
              ))}
            </section>
          ))
        )}
      </>
    ),
  });
}

export interface SecretaryPageModel {
  organization: string;
  language: Language;
  record: MinutesReviewRecord;
  state: MinutesReviewState;
  feedback: MinutesFeedback[];
}

function Round(p: { m: SecretaryPageModel; round: MinutesReviewState['rounds'][number]; name: (id: string) => string }) {
  const { round, m } = p;
  const texts = textsFor(m.language);
  const t = texts.secretary;
  return (
    <section aria-labelledby={`round-${round.number}`}>
      <h2 id={`round-${round.number}`}>
        {t.round(round.number, round.version.number, t.roundOutcomes[round.outcome ?? ''] ?? t.roundOpen)}
      </h2>
      <p class="hash">SHA-256 {round.version.sha256}</p>
      <p>
        <a href={`/api/versions/${round.version.versionId}/content`}>{t.downloadVersion(round.version.number)}</a>
      </p>
      <table>
        <caption class="hint">{t.checkersCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.checker}</th>
            <th scope="col">{t.stateAndComments}</th>
          </tr>
        </thead>
        <tbody>
          {round.checkers.map((c) => {
            const comments = m.feedback.find((f) => f.feedbackId === c.feedbackId)?.comments ?? [];
            return (
              <tr>
                <td>{p.name(c.participantId)}</td>
                <td>
                  {texts.minutes.status[c.status]}
                  {c.decidedAt ? (
                    <>
                      {' '}
                      <Time at={c.decidedAt} language={m.language} />
                    </>
                  ) : null}
                  {comments.length ? (
                    <ul>
                      {comments.map((x) => (
                        <li>
                          {x.section ? `§ ${x.section}` : x.page ? t.pageRef(x.page) : t.generalComment}: {x.text}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The secretary's page, in Finnish unless the person has chosen another language (remembered from page to page). */
export function secretaryPage(m: SecretaryPageModel): string {
  const { record, state, language } = m;
  const texts = textsFor(language);
  const t = texts.secretary;
  const name = (id: string) => record.people.find((p) => p.participantId === id)?.name ?? id;
  const reviewing = state.status === 'in_review' || state.status === 'awaiting_correction';
  const roleName = (role: string) => (role === 'chair' || role === 'secretary' ? texts.minutes.roles[role] : role);
  return participantPage({
    language,
    title: `${record.body.name}: ${record.title}`,
    organization: m.organization,
    languageLink: (l) => `/minutes/${encodeURIComponent(record.reviewId)}?lang=${l}`,
    script: reviewing ? 'minutesUpload' : undefined,
    children: (
      <>
        <h1>
          {record.body.name}: {record.title}
        </h1>
        <section aria-labelledby="summary">
          <h2 id="summary">{t.summary}</h2>
          <dl>
            <dt>{t.state}</dt>
            <dd>{t.statuses[state.status] ?? state.status}</dd>
            <dt>{texts.minutes.meeting}</dt>
            <dd>{`${record.meeting.number}, ${formatDay(record.meeting.date)}, ${record.meeting.place}`}</dd>
            <dt>{t.checkingDeadline}</dt>
            <dd>
              {readableTime(state.checkingDeadlineAt, language)}
              {state.escalatedAt ? ` ${t.overdue}` : ''}
            </dd>
          </dl>
        </section>
        {reviewing ? (
          <section aria-labelledby="upload">
            <h2 id="upload">{t.uploadHeading}</h2>
            <form
              id="upload-form"
              method="post"
              action={`/api/minutes/${record.reviewId}/versions`}
              data-uploading={t.uploading}
              data-uploaded={t.uploaded}
              data-failed={t.uploadFailed}
            >
              <label for="pdf">{t.uploadLabel}</label>
              <input type="file" id="pdf" name="pdf" accept="application/pdf" required aria-describedby="upload-status" />
              <button type="submit" class="primary">
                {t.upload}
              </button>
              <p id="upload-status" role="status" aria-live="polite"></p>
            </form>
          </section>
        ) : null}
        {state.signing ? (
          <section aria-labelledby="signing">
            <h2 id="signing">{t.signingHeading}</h2>
            <ul>
              {state.signing.signers.map((s) => (
                <li>
                  {name(s.participantId)} ({roleName(s.role)}): {t.signerStatuses[s.status]}
                </li>
              ))}
            </ul>
            <p>
              {texts.minutes.deadline}: {readableTime(state.signing.deadlineAt, language)}
            </p>
            {state.sealedVersionId ? (
              <p>
                <a href={`/api/minutes/${record.reviewId}/signed.pdf`}>{t.downloadSigned}</a>
              </p>
            ) : null}
          </section>
        ) : null}
        {state.publication ? (
          <section aria-labelledby="publication">
            <h2 id="publication">{t.publicationHeading}</h2>
            <dl>
              <dt>{texts.minutes.published}</dt>
              <dd>{formatDay(state.publication.publishedOn)}</dd>
              <dt>{texts.minutes.notified}</dt>
              <dd>{formatDay(state.publication.notifiedOn)}</dd>
              <dt>{texts.minutes.periodEnds}</dt>
              <dd>{formatDay(state.publication.lastDay)}</dd>
            </dl>
            <p>
              <a href={`/public/minutes?lang=${language}`}>{t.publicPage}</a>
            </p>
          </section>
        ) : null}
        {[...state.rounds].reverse().map((round) => (
          <Round m={m} round={round} name={name} />
        ))}
      </>
    ),
  });
}
