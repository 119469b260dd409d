import type { VNode } from 'preact';
import { STAFF_ROLES } from '../../config/config';
import { WEBHOOK_EVENT_TYPES } from '../../integrations/webhooks/eventTypes';
import { ADMIN_ACTIONS, type AdminAction } from '../../admin/adminActions';
import type { ProcessSurvey, ProcessView, StuckProcess, StuckReason } from '../../admin/stuckProcesses';
import { STUCK_REASON_KINDS } from '../../admin/stuckProcesses';
import { type Catalog, textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import { LanguageMenu } from './kit/languageMenu';
import { staffConsole } from './kit/staffConsole';
import { processTypeInWords, rolesInWords, statusInWords } from './kit/processWords';
import { finnishTime } from './kit/time';

/**
 * The admin's page, rendered on the server in the admin's language: what is
 * stuck and why, what waits by design and until when, and beside each row
 * the actions that fit it. Its script (/assets/admin.js) only signs in and
 * out and sends the chosen action to the admin API (/api/admin/*) on the
 * staff session cookie, so the page can do nothing the API would not allow.
 */

export interface AdminCriteria {
  attemptThreshold: number;
  noProgressHours: number;
}

export interface AdminPageProps {
  language: Language;
  organization: string;
  temporalUiUrl: string;
  /** Absent: nobody signed in. A role: signed in without the admin role. */
  access: { signedIn: false } | { signedIn: true; admin: false; role: string } | { signedIn: true; admin: true; survey: ProcessSurvey };
  criteria: AdminCriteria;
  /** The act form's process and action, chosen from a row. */
  chosen?: { processId?: string; action?: AdminAction };
  done?: { action: AdminAction; processId: string };
}

export function reasonInWords(reason: StuckReason, language: Language): string {
  const t = textsFor(language);
  switch (reason.kind) {
    case 'failing_step':
      return t.admin.reasons.failing_step(reason.activityType, reason.attempt, reason.lastError);
    case 'deadline_passed':
      return t.admin.reasons.deadline_passed(rolesInWords(reason.waitingFor, t), finnishTime(reason.waitingUntil, language));
    case 'no_progress':
      return t.admin.reasons.no_progress(statusInWords(reason.status, t), finnishTime(reason.stepSince, language), reason.expectedHours);
  }
}

/** The actions that fit a row: retry a failing step; remind, extend or reassign where a person is awaited; cancel always. */
function actionsFor(process: ProcessView, failing: boolean): AdminAction[] {
  const awaitsPerson = Boolean(process.waitingFor && process.waitingFor !== 'system');
  return ADMIN_ACTIONS.filter((action) =>
    action === 'retry' ? failing : action === 'cancel' ? true : awaitsPerson && ['remind', 'extend', 'reassign'].includes(action),
  );
}

function RowActions(p: { process: ProcessView; failing: boolean; t: Catalog; href: (processId: string, action: AdminAction) => string }) {
  return (
    <ul class="row-actions">
      {actionsFor(p.process, p.failing).map((action) => (
        <li key={action}>
          <a href={p.href(p.process.processId, action)}>
            {p.t.admin.actions[action]}
            <span class="visually-hidden"> – {p.process.processId}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function TypeAndStatus(p: { process: ProcessView; t: Catalog }) {
  return (
    <td>
      {processTypeInWords(p.process.processType, p.t)}
      <br />
      {statusInWords(p.process.status, p.t)}
    </td>
  );
}

function Summary(p: { survey: ProcessSurvey; t: Catalog }): VNode {
  const stuckCount = p.survey.stuck.length;
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">{p.t.admin.summaryHeading}</h2>
      <p id="stuck-count" class={stuckCount ? 'stuck-count attention' : 'stuck-count'}>
        {p.t.admin.stuckCount(stuckCount)}
      </p>
      {stuckCount > 0 && (
        <ul id="reason-counts">
          {STUCK_REASON_KINDS.filter((kind) => p.survey.counts[kind] > 0).map((kind) => (
            <li key={kind}>{p.t.admin.reasonCounts[kind](p.survey.counts[kind])}</li>
          ))}
        </ul>
      )}
      <p id="waiting-count">{p.t.admin.waitingCount(p.survey.waitingCount)}</p>
    </section>
  );
}

export function adminPage(p: AdminPageProps): string {
  const t = textsFor(p.language);
  const a = t.admin;
  const criteriaQuery = `attemptThreshold=${p.criteria.attemptThreshold}&noProgressHours=${p.criteria.noProgressHours}`;
  const actionHref = (processId: string, action: AdminAction) =>
    `/admin?${criteriaQuery}&process=${encodeURIComponent(processId)}&action=${action}#act-title`;
  const access = p.access;
  return staffConsole({
    language: p.language,
    title: a.title,
    stylesheet: 'console',
    script: 'admin',
    header: (
      <>
        <h1>{a.heading}</h1>
        <p>
          {p.organization} · <a href={p.temporalUiUrl}>{a.temporalUi}</a>
        </p>
        <LanguageMenu current={p.language} href={(l) => `/admin?lang=${l}&${criteriaQuery}`} />
        {access.signedIn && (
          <button type="button" id="sign-out">
            {a.signOut}
          </button>
        )}
      </>
    ),
    children: (
      <>
        <p id="message" role="status" aria-live="polite">
          {p.done ? a.done(a.actions[p.done.action], p.done.processId) : ''}
        </p>
        <p id="problem" role="alert">
          {access.signedIn && !access.admin ? a.needsAdmin(access.role) : ''}
        </p>
        {!(access.signedIn && access.admin) && (
          <section id="signin" aria-labelledby="signin-title">
            <h2 id="signin-title">{a.signInHeading}</h2>
            <form id="signin-form">
              <label for="token">{a.token}</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required />
              <button type="submit">{a.signIn}</button>
            </form>
          </section>
        )}
        {access.signedIn && access.admin && (
          <>
            <Summary survey={access.survey} t={t} />
            <section aria-labelledby="criteria-title">
              <h2 id="criteria-title">{a.criteriaHeading}</h2>
              <form id="criteria" method="get" action="/admin">
                <label for="attempts">{a.attempts}</label>
                <input id="attempts" name="attemptThreshold" type="number" min={1} value={String(p.criteria.attemptThreshold)} />
                <label for="hours">{a.hours}</label>
                <input id="hours" name="noProgressHours" type="number" min={0} value={String(p.criteria.noProgressHours)} />
                <button type="submit">{a.refresh}</button>
              </form>
            </section>
            <StuckTable stuck={access.survey.stuck} language={p.language} href={actionHref} />
            <WaitingTable survey={access.survey} language={p.language} href={actionHref} />
            <ActForm t={t} chosen={p.chosen} />
            <KeysAndArchiveSection t={t} />
            <WebhooksSection language={p.language} />
          </>
        )}
      </>
    ),
  });
}

function StuckTable(p: { stuck: StuckProcess[]; language: Language; href: (processId: string, action: AdminAction) => string }) {
  const t = textsFor(p.language);
  const c = t.admin.columns;
  return (
    <section aria-labelledby="stuck-title">
      <h2 id="stuck-title">{t.admin.stuckHeading}</h2>
      <table class="process-table">
        <caption>{t.admin.stuckCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.process}</th>
            <th scope="col">{c.typeAndStatus}</th>
            <th scope="col">{c.why}</th>
            <th scope="col">{c.actions}</th>
          </tr>
        </thead>
        <tbody id="stuck">
          {p.stuck.map((process) => (
            <tr key={process.processId}>
              <td>
                <code>{process.processId}</code>
              </td>
              <TypeAndStatus process={process} t={t} />
              <td>
                <ul class="reasons">
                  {process.reasons.map((reason, i) => (
                    <li key={i}>{reasonInWords(reason, p.language)}</li>
                  ))}
                </ul>
              </td>
              <td>
                <RowActions process={process} failing={process.failingSteps.length > 0} t={t} href={p.href} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function WaitingTable(p: { survey: ProcessSurvey; language: Language; href: (processId: string, action: AdminAction) => string }) {
  const t = textsFor(p.language);
  const c = t.admin.columns;
  const { waiting, waitingCount } = p.survey;
  return (
    <section aria-labelledby="waiting-title">
      <h2 id="waiting-title">{t.admin.waitingHeading}</h2>
      {waiting.length < waitingCount && <p>{t.admin.moreWaiting(waiting.length, waitingCount)}</p>}
      <table class="process-table">
        <caption>{t.admin.waitingCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{c.process}</th>
            <th scope="col">{c.typeAndStatus}</th>
            <th scope="col">{c.waiting}</th>
            <th scope="col">{c.actions}</th>
          </tr>
        </thead>
        <tbody id="waiting">
          {waiting.map((process) => (
            <tr key={process.processId}>
              <td>
                <code>{process.processId}</code>
              </td>
              <TypeAndStatus process={process} t={t} />
              <td>
                <time datetime={process.waitingUntil}>{t.admin.waitingUntil(finnishTime(process.waitingUntil, p.language))}</time>
                <br />
                {t.admin.waitingWho(rolesInWords(process.waitingFor, t))}
              </td>
              <td>
                <RowActions process={process} failing={false} t={t} href={p.href} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ActForm(p: { t: Catalog; chosen?: { processId?: string; action?: AdminAction } }) {
  const a = p.t.admin;
  return (
    <section aria-labelledby="act-title">
      <h2 id="act-title">{a.actHeading}</h2>
      <form id="act">
        <label for="processId">{a.processId}</label>
        <input id="processId" name="processId" required value={p.chosen?.processId ?? ''} />
        <label for="action">{a.action}</label>
        <select id="action" name="action">
          {ADMIN_ACTIONS.map((action) => (
            <option key={action} value={action} selected={p.chosen?.action === action}>
              {a.actions[action]}
            </option>
          ))}
        </select>
        <label for="reason">{a.reason}</label>
        <textarea id="reason" name="reason" required minlength={3} />
        <label for="deadlineAt">{a.deadlineAt}</label>
        <input id="deadlineAt" name="deadlineAt" type="datetime-local" />
        <label for="participantId">{a.participantId}</label>
        <input id="participantId" name="participantId" />
        <label for="email">{a.email}</label>
        <input id="email" name="email" type="email" />
        <label for="name">{a.name}</label>
        <input id="name" name="name" />
        <button type="submit">{a.doIt}</button>
      </form>
    </section>
  );
}

/** The webhooks' part of the page; the script fills the tables and reads its button texts from the data attributes. */
function WebhooksSection({ language }: { language: Language }) {
  const t = textsFor(language).adminWebhooks;
  const c = t.logColumns;
  const deliveryColumns = [c.event, c.process, c.status, c.attempts, c.answer, c.latency];
  return (
    <section
      id="webhooks-section"
      aria-labelledby="webhooks-title"
      hidden
      data-remove={t.remove}
      data-removed={t.removed}
      data-redeliver={t.redeliver}
      data-redelivered={t.redelivered}
      data-none-dead={t.noneDead}
      data-feed-ok={t.feedOk}
      data-feed-not-read={t.feedNotRead}
      data-active={t.active}
      data-stopped={t.stopped}
      data-statuses={JSON.stringify(t.statuses)}
    >
      <h2 id="feed-title">{t.feedHeading}</h2>
      <ul id="feed-alerts" aria-labelledby="feed-title"></ul>
      <h2 id="webhooks-title">{t.heading}</h2>
      <button id="webhooks-refresh" type="button">
        {t.refresh}
      </button>
      <h3 id="subscriptions-title">{t.subscriptionsHeading}</h3>
      <form id="subscribe" aria-labelledby="subscriptions-title">
        <label for="webhook-url">{t.url}</label>
        <input id="webhook-url" name="url" type="url" required aria-describedby="webhook-url-hint" />
        <p id="webhook-url-hint">{t.urlHint}</p>
        <fieldset>
          <legend>{t.eventTypes}</legend>
          {Object.entries(WEBHOOK_EVENT_TYPES).map(([type, { description }]) => (
            <label key={type} title={description}>
              <input type="checkbox" name="eventTypes" value={type} /> {type}
            </label>
          ))}
        </fieldset>
        <label for="webhook-description">{t.description}</label>
        <input id="webhook-description" name="description" maxLength={200} />
        <button type="submit">{t.subscribe}</button>
      </form>
      <div id="new-secret" hidden>
        <p>{t.secretOnce}</p>
        <output id="new-secret-value" aria-live="polite"></output>
      </div>
      <FilledByScript
        bodyId="subscriptions"
        labelledBy="subscriptions-title"
        columns={[t.subscriptionColumns.url, t.subscriptionColumns.eventTypes, t.subscriptionColumns.state, t.subscriptionColumns.actions]}
      />
      <h3 id="dead-title">{t.deadHeading}</h3>
      <FilledByScript bodyId="dead-letters" labelledBy="dead-title" columns={[...deliveryColumns, t.subscriptionColumns.actions]} />
      <h3 id="log-title">{t.logHeading}</h3>
      <FilledByScript bodyId="deliveries" labelledBy="log-title" columns={deliveryColumns} />
    </section>
  );
}

/** A table whose rows the page's script fills in; on a phone each row reads as a card. */
function FilledByScript(p: { bodyId: string; columns: string[]; caption?: { id?: string; text: string }; labelledBy?: string }) {
  return (
    <table class="process-table" aria-labelledby={p.labelledBy}>
      {p.caption && <caption id={p.caption.id}>{p.caption.text}</caption>}
      <thead>
        <tr>
          {p.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody id={p.bodyId}></tbody>
    </table>
  );
}

/** API keys and archived documents; the script fills the tables and reads its texts from the data attributes. */
function KeysAndArchiveSection({ t }: { t: Catalog }) {
  const k = t.adminKeys;
  return (
    <section
      id="keys-section"
      aria-labelledby="keys-title"
      data-never={k.never}
      data-every-unit={k.everyUnit}
      data-revoked={k.revoked}
      data-expired={k.expired}
      data-revoke={k.revoke}
      data-revoked-done={k.revokedDone}
      data-new-key={k.newKey}
      data-due-now={k.dueNow}
      data-waiting-for={k.waitingFor}
      data-roles={JSON.stringify(t.workspace.staffRoles)}
    >
      <h2 id="keys-title">{k.heading}</h2>
      <p>
        {k.intro} <code>Authorization: Bearer &lt;key&gt;</code>. {k.shownOnce}
      </p>
      <form id="key-form" aria-labelledby="keys-title">
        <label for="key-name">{k.clientName}</label>
        <input id="key-name" name="name" required maxLength={100} />
        <fieldset>
          <legend>{k.roles}</legend>
          {STAFF_ROLES.map((role) => (
            <label key={role}>
              <input type="checkbox" name="roles" value={role} /> {t.workspace.staffRoles[role]}
            </label>
          ))}
        </fieldset>
        <label for="key-units">{k.units}</label>
        <input id="key-units" name="units" aria-describedby="key-units-hint" maxLength={2000} />
        <span id="key-units-hint">
          {k.unitsHint} <code>sivistys</code>. {k.unitsEmpty}
        </span>
        <label for="key-expires">{k.expiresOn}</label>
        <input id="key-expires" name="expiresAt" type="date" required />
        <button type="submit">{k.create}</button>
      </form>
      <p id="new-key" role="status" aria-live="polite"></p>
      <FilledByScript
        bodyId="keys"
        caption={{ text: k.caption }}
        columns={[k.columns.client, k.columns.roles, k.columns.units, k.columns.expires, k.columns.lastUsed, k.columns.state]}
      />
      <FilledByScript
        bodyId="archived"
        caption={{ id: 'archived-caption', text: k.archivedCaption }}
        columns={[k.archivedColumns.document, k.archivedColumns.nextDue, k.archivedColumns.proofLapses, k.archivedColumns.status]}
      />
    </section>
  );
}
