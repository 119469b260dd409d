import type { ComponentChildren } from 'preact';
import type { FormDefinition } from '../../forms/formDefinitions';
import type { ApplicationRecord } from '../../store/applications';
import { type Catalog, textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import type { FormToDecisionState } from '../../workflows/formToDecision';
import { statusInWords } from './kit/processWords';
import { LanguageMenu } from './kit/languageMenu';
import { staffConsole } from './kit/staffConsole';
import { finnishTime } from './kit/time';

/**
 * The case handler's pages, rendered on the server in the handler's
 * language: the rounds to choose from, a round's applications, and one
 * case with the application in its form's own labels, its attachments,
 * the decision and its notification, and only the action the step allows.
 * The script (/assets/handler.js) signs in, sends the actions to the
 * handler API and redraws the case when its state changes (it polls
 * /api/applications/:id/progress), so the page can do nothing the API
 * would not allow.
 */

export type HandlerAccess = { signedIn: false } | { signedIn: true; handler: false; role: string } | { signedIn: true; handler: true };

interface Frame {
  language: Language;
  organization: string;
  access: HandlerAccess;
  /** The same page in another language. */
  href: (language: Language) => string;
}

/** A calendar date (YYYY-MM-DD) as Finland writes it: 30.11.2026. */
function finnishDate(calendarDate: string): string {
  const [year, month, day] = calendarDate.split('-').map(Number);
  return `${day}.${month}.${year}`;
}

function euros(amount: string | undefined, language: Language): string {
  if (!amount) return '';
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language];
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(Number(amount));
}

function handlerConsole(frame: Frame, children: ComponentChildren, caseId?: string): string {
  const t = textsFor(frame.language);
  const h = t.handler;
  const { access } = frame;
  return staffConsole({
    language: frame.language,
    title: h.title(frame.organization),
    stylesheet: 'handler',
    script: 'handler',
    header: (
      <>
        <p>{frame.organization}</p>
        <LanguageMenu current={frame.language} href={frame.href} />
        {access.signedIn && (
          <button type="button" id="sign-out">
            {h.signOut}
          </button>
        )}
      </>
    ),
    children: (
      <div id="handler" data-case={caseId}>
        <h1>{h.heading}</h1>
        <p id="message" role="status" aria-live="polite" data-saved={h.saved} data-updated={h.updated}></p>
        <p id="problem" role="alert">
          {access.signedIn && !access.handler ? h.needsHandler(access.role) : ''}
        </p>
        {access.signedIn && access.handler ? (
          children
        ) : (
          <section aria-labelledby="signin-title">
            <h2 id="signin-title">{h.signInHeading}</h2>
            <form id="signin">
              <label for="token">{h.token}</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required />
              <button type="submit">{h.signIn}</button>
            </form>
          </section>
        )}
      </div>
    ),
  });
}

export interface RoundRow {
  applicationId: string;
  caseNumber?: string;
  formTitle: string;
  applicant?: string;
  status: string;
  amountApplied?: string;
  decision?: { outcome: 'approve' | 'partly' | 'deny'; amount: string };
  paid: boolean;
}

export function handlerRoundsPage(
  frame: Frame,
  rounds: string[],
  chosen?: { roundId: string; rows: RoundRow[]; exports: { formId: string; title: string }[] },
): string {
  const t = textsFor(frame.language);
  const h = t.handler;
  const c = h.columns;
  return handlerConsole(
    frame,
    <>
      <nav aria-labelledby="rounds-title">
        <h2 id="rounds-title">{h.rounds}</h2>
        {rounds.length === 0 ? (
          <p>{h.noRounds}</p>
        ) : (
          <ul class="rounds">
            {rounds.map((roundId) => (
              <li key={roundId}>
                <a href={`/kasittely?round=${encodeURIComponent(roundId)}`} aria-current={roundId === chosen?.roundId ? 'page' : undefined}>
                  {roundId}
                </a>
              </li>
            ))}
          </ul>
        )}
      </nav>
      {chosen && (
        <section aria-labelledby="list-title">
          <h2 id="list-title">{h.applications(chosen.roundId)}</h2>
          <table class="stacks-on-phone">
            <caption>{h.applications(chosen.roundId)}</caption>
            <thead>
              <tr>
                <th scope="col">{c.case}</th>
                <th scope="col">{c.form}</th>
                <th scope="col">{c.applicant}</th>
                <th scope="col">{c.status}</th>
                <th scope="col">{c.applied}</th>
                <th scope="col">{c.decision}</th>
                <th scope="col">{c.payment}</th>
              </tr>
            </thead>
            <tbody id="applications">
              {chosen.rows.map((row) => (
                <tr key={row.applicationId}>
                  <td data-label={c.case}>
                    <a href={`/kasittely/hakemukset/${encodeURIComponent(row.applicationId)}`}>{row.caseNumber ?? h.noCaseNumber}</a>
                  </td>
                  <td data-label={c.form}>{row.formTitle}</td>
                  <td data-label={c.applicant}>{row.applicant}</td>
                  <td data-label={c.status}>{statusInWords(row.status, t)}</td>
                  <td data-label={c.applied}>{euros(row.amountApplied, frame.language)}</td>
                  <td data-label={c.decision}>
                    {row.decision ? `${h.outcomes[row.decision.outcome]} ${euros(row.decision.amount, frame.language)}` : ''}
                  </td>
                  <td data-label={c.payment}>{row.paid ? h.paid : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{h.tables}</h3>
          <ul>
            {chosen.exports.flatMap((form) =>
              (['xlsx', 'csv'] as const).map((format) => (
                <li key={`${form.formId}.${format}`}>
                  <a href={`/api/rounds/${encodeURIComponent(chosen.roundId)}/export/${form.formId}.${format}`}>
                    {h.exportLink(form.title, format)}
                  </a>
                </li>
              )),
            )}
          </ul>
        </section>
      )}
    </>,
  );
}

export interface CaseView {
  application: ApplicationRecord;
  form: FormDefinition;
  state: FormToDecisionState | null;
  status: string;
  allowed: { supplementation: boolean; decision: boolean; signature: boolean; rectification: boolean };
  letter?: { status: string; channel?: string; deemedNotifiedOn?: string };
}

function Row(p: { term: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{p.term}</dt>
      <dd>{p.children}</dd>
    </>
  );
}

function OutcomeOptions(p: { t: Catalog }) {
  return (
    <>
      {(['approve', 'partly', 'deny'] as const).map((outcome) => (
        <option key={outcome} value={outcome}>
          {p.t.handler.outcomes[outcome]}
        </option>
      ))}
    </>
  );
}

export function handlerCasePage(frame: Frame, view: CaseView): string {
  const { language } = frame;
  const t = textsFor(language);
  const h = t.handler;
  const { application, form, state, allowed } = view;
  const decision = state?.decision ?? application.decision;
  const signedVersionId = state?.decision?.signedBy ? state.decision.versionId : application.decision?.versionId;
  const notification = state?.notification ?? application.notification;
  const periodEndsAt = state?.notification?.periodEndsAt;
  const supplementation = application.supplementation;
  const rectification = application.rectification;
  const title = `${application.caseNumber ?? h.noCaseNumber} – ${statusInWords(view.status, t)}`;
  return handlerConsole(
    frame,
    <>
      <p>
        <a href={`/kasittely?round=${encodeURIComponent(application.roundId)}`}>{h.backToRound}</a>
      </p>
      <h2 id="case-title" tabindex={-1}>
        {title}
      </h2>
      <section aria-labelledby="application-title">
        <h3 id="application-title">
          {h.application}: {form.title[language]}
        </h3>
        <dl id="application-values">
          {form.fields
            .filter((field) => application.values[field.name])
            .map((field) => (
              <Row key={field.name} term={field.label[language]}>
                {field.type === 'amount' ? euros(application.values[field.name], language) : application.values[field.name]}
              </Row>
            ))}
        </dl>
        <h3>{h.attachments}</h3>
        {application.attachments.length === 0 ? (
          <p>{h.noAttachments}</p>
        ) : (
          <ul id="attachments">
            {application.attachments.map((a) => (
              <li key={a.versionId}>
                {form.attachments.find((rule) => rule.name === a.field)?.label[language] ?? a.field}:{' '}
                <a href={`/api/versions/${encodeURIComponent(a.versionId)}/content`}>{a.fileName}</a>
              </li>
            ))}
          </ul>
        )}
      </section>

      {supplementation && (
        <section aria-labelledby="supplementation-title">
          <h3 id="supplementation-title">{h.supplementation}</h3>
          <p>{h.supplementationAsked(finnishTime(supplementation.deadlineAt, language))}</p>
          {supplementation.answeredAt && <p>{h.supplementationAnswered}</p>}
        </section>
      )}

      {allowed.supplementation && (
        <form id="supplement-form" class="action" data-action="supplementation-request" aria-labelledby="supplement-title">
          <h3 id="supplement-title">{h.supplementation}</h3>
          <fieldset>
            <legend>{h.supplementFields}</legend>
            {[...form.fields, ...form.attachments].map((field) => (
              <label key={field.name} class="choice">
                <input type="checkbox" name="fields" value={field.name} /> {field.label[language]}
              </label>
            ))}
          </fieldset>
          <label for="supplement-message">{h.supplementMessage}</label>
          <textarea id="supplement-message" name="message" rows={3} required />
          <label for="supplement-deadline">{h.supplementDeadline}</label>
          <input id="supplement-deadline" name="deadline" type="date" required />
          <button type="submit">{h.sendSupplementation}</button>
        </form>
      )}

      {allowed.decision && (
        <form id="decision-form" class="action" data-action="decision" aria-labelledby="decision-title">
          <h3 id="decision-title">{h.decisionHeading}</h3>
          <label for="decision-outcome">{h.outcome}</label>
          <select id="decision-outcome" name="outcome">
            <OutcomeOptions t={t} />
          </select>
          <label for="decision-amount">{h.amount}</label>
          <input id="decision-amount" name="amount" type="text" inputmode="decimal" />
          <label for="decision-reasoning">{h.reasoning}</label>
          <textarea id="decision-reasoning" name="reasoning" rows={4} required />
          <button type="submit">{h.sendForSignature}</button>
        </form>
      )}

      {decision && (
        <section aria-labelledby="decision-shown-title">
          <h3 id="decision-shown-title">{h.decision}</h3>
          <dl>
            <Row term={h.outcome}>
              {h.outcomes[decision.outcome]}
              {decision.outcome !== 'deny' ? ` ${euros(decision.amount, language)}` : ''}
            </Row>
            <Row term={h.reasoning}>{decision.reasoning}</Row>
            {decision.decidedOn && <Row term={h.decidedOn}>{finnishDate(decision.decidedOn)}</Row>}
            {state?.decision?.signedBy && <Row term={h.signedBy}>{state.decision.signedBy}</Row>}
          </dl>
          {signedVersionId && (
            <p>
              <a id="signed-decision" href={`/api/versions/${encodeURIComponent(signedVersionId)}/content`}>
                {h.signedDecision}
              </a>
            </p>
          )}
        </section>
      )}

      {allowed.signature && (
        <form id="sign-form" class="action" data-action="signature" aria-labelledby="sign-title">
          <h3 id="sign-title">{h.awaitingSignature}</h3>
          <button type="submit">{h.sign}</button>
        </form>
      )}

      {notification && (
        <section aria-labelledby="letter-title">
          <h3 id="letter-title">{h.letter}</h3>
          <dl id="letter">
            <Row term={h.channel}>{h.channels[notification.channel] ?? notification.channel}</Row>
            {view.letter && <Row term={h.letterStatus}>{statusInWords(view.letter.status, t)}</Row>}
            <Row term={h.sentAt}>{finnishTime(notification.sentAt, language)}</Row>
            <Row term={h.notifiedOn}>{finnishDate(notification.notifiedOn)}</Row>
            <Row term={h.periodEnds}>{periodEndsAt ? finnishTime(periodEndsAt, language) : finnishDate(notification.periodLastDay)}</Row>
          </dl>
        </section>
      )}

      {rectification && (
        <section aria-labelledby="rectification-title">
          <h3 id="rectification-title">{h.rectificationHeading}</h3>
          <p>{h.rectificationReceived(finnishTime(rectification.receivedAt, language))}</p>
          <blockquote>{rectification.text}</blockquote>
        </section>
      )}

      {allowed.rectification && (
        <form id="rectification-form" class="action" data-action="rectification-resolution" aria-labelledby="resolution-title">
          <h3 id="resolution-title">{h.resolution}</h3>
          <label for="rectification-resolution">{h.resolution}</label>
          <select id="rectification-resolution" name="resolution">
            <option value="upheld">{h.upheld}</option>
            <option value="corrected">{h.corrected}</option>
          </select>
          <label for="rectification-outcome">{h.correctedOutcome}</label>
          <select id="rectification-outcome" name="outcome">
            <OutcomeOptions t={t} />
          </select>
          <label for="rectification-amount">{h.correctedAmount}</label>
          <input id="rectification-amount" name="amount" type="text" inputmode="decimal" />
          <label for="rectification-reasoning">{h.reasoning}</label>
          <textarea id="rectification-reasoning" name="reasoning" rows={3} required />
          <button type="submit">{h.sendForSignature}</button>
        </form>
      )}
    </>,
    application._id,
  );
}
