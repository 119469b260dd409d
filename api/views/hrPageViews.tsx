import type { ComponentChildren } from 'preact';
import { type Catalog, textsFor } from '../../texts/catalog';
import { type Language, LANGUAGES } from '../../texts/language';
import { ErrorSummary, FieldError, TextField } from './kit/formControls';
import { LanguageMenu } from './kit/languageMenu';
import { staffConsole } from './kit/staffConsole';
import { readableTime, Time } from './kit/time';

/**
 * HR's pages for employment contracts, rendered on the server: sign in,
 * the list, a new contract (template or PDF), one contract with its
 * actions and history. No script. Written to WCAG 2.1 AA like the signer's
 * pages: declared language, visible labels, errors as text tied to their
 * fields and summarised at the top, 4.5:1 contrast, visible focus.
 */

export type HrTexts = Catalog['hr'];
export const hrTexts = (language: Language): HrTexts => textsFor(language).hr;

/** A text for a code (a status, a role) where the code may be one the catalog does not know yet: then the code itself. */
function named(texts: Record<string, string>, code: string): string {
  return Object.hasOwn(texts, code) ? texts[code] : code;
}

function hrPage(
  language: Language,
  title: string,
  organization: string,
  options: { signedIn: boolean; selfHref: (l: Language) => string },
  children: ComponentChildren,
): string {
  const t = hrTexts(language);
  const q = `?lang=${language}`;
  return staffConsole({
    language,
    title: `${title} – ${t.app} – ${organization}`,
    stylesheet: 'hr',
    header: (
      <>
        <p>
          {organization}: {t.app}
        </p>
        <nav aria-label={t.app}>
          <ul>
            {options.signedIn ? (
              <>
                <li>
                  <a href={`/hr${q}`}>{t.list}</a>
                </li>
                <li>
                  <a href={`/hr/new${q}`}>{t.newContract}</a>
                </li>
                <li>
                  <form method="post" action={`/hr/sign-out${q}`}>
                    <button type="submit">{t.signOut}</button>
                  </form>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <LanguageMenu current={language} href={options.selfHref} />
      </>
    ),
    children,
  });
}

export function signInPage(language: Language, organization: string, failed: boolean): string {
  const t = hrTexts(language);
  return hrPage(
    language,
    t.signInHeading,
    organization,
    { signedIn: false, selfHref: (l) => `/hr?lang=${l}` },
    <>
      <h1>{t.signInHeading}</h1>
      {failed ? (
        <section class="errors" role="alert">
          <p id="token-error" class="error">
            {t.badToken}
          </p>
        </section>
      ) : null}
      <p>
        <a href={`/auth/login?returnTo=${encodeURIComponent(`/hr?lang=${language}`)}`}>{t.signInWithOrganisation}</a>
      </p>
      <section>
        <form method="post" action={`/hr/session?lang=${language}`}>
          <label for="token">{t.token}</label>
          <p id="token-hint" class="hint">
            {t.tokenHint}
          </p>
          <input
            type="password"
            id="token"
            name="token"
            autocomplete="current-password"
            required
            aria-describedby={failed ? 'token-hint token-error' : 'token-hint'}
            aria-invalid={failed ? 'true' : undefined}
          />
          <button type="submit">{t.signIn}</button>
        </form>
      </section>
    </>,
  );
}

export interface ContractRow {
  contractId: string;
  title: string;
  status: string;
  awaited: { role: string; name: string }[];
  timeLeftSeconds: number | null;
  createdAt: Date;
}

function timeLeft(t: HrTexts, seconds: number | null): string {
  if (seconds === null) return t.nobody;
  return t.days(Math.floor(seconds / 86400), Math.floor((seconds % 86400) / 3600));
}

function Notice(p: { t: HrTexts; done?: string }) {
  return p.done && Object.hasOwn(p.t.done, p.done) ? (
    <section class="ok" role="status">
      <p>{named(p.t.done, p.done)}</p>
    </section>
  ) : null;
}

export function contractListPage(language: Language, organization: string, rows: ContractRow[], done?: string): string {
  const t = hrTexts(language);
  const q = `?lang=${language}`;
  return hrPage(
    language,
    t.list,
    organization,
    { signedIn: true, selfHref: (l) => `/hr?lang=${l}` },
    <>
      <h1>{t.list}</h1>
      <Notice t={t} done={done} />
      <p>
        <a href={`/hr/new${q}`}>{t.newContract}</a>
      </p>
      {rows.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table>
          <caption class="hint">{t.list}</caption>
          <thead>
            <tr>
              <th scope="col">{t.title}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.awaited}</th>
              <th scope="col">{t.timeLeft}</th>
              <th scope="col">{t.created}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/hr/contracts/${encodeURIComponent(r.contractId)}${q}`}>{r.title}</a>
                </td>
                <td>{named(t.statuses, r.status)}</td>
                <td>{r.awaited.length ? r.awaited.map((a) => `${a.name} (${named(t.roles, a.role)})`).join(', ') : t.nobody}</td>
                <td>{timeLeft(t, r.timeLeftSeconds)}</td>
                <td>{readableTime(r.createdAt, language, 'medium')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
  );
}

export interface FieldError {
  field: string;
  message: string;
}

/** The new-contract form; `values` are what was posted (kept on an error), `errors` name their fields. */
export function newContractPage(
  language: Language,
  organization: string,
  values: Record<string, string>,
  errors: FieldError[] = [],
): string {
  const t = hrTexts(language);
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  type InputType = 'text' | 'email' | 'tel' | 'date' | 'number';
  const Input = (p: {
    field: string;
    label: string;
    type?: InputType;
    required?: boolean;
    autocomplete?: string;
    min?: number;
    max?: number;
  }) => (
    <div>
      <TextField
        id={p.field}
        type={p.type}
        required={p.required}
        autocomplete={p.autocomplete}
        min={p.min}
        max={p.max}
        value={values[p.field] ?? ''}
        error={errorOf(p.field)}
        label={
          <>
            {p.label}
            {p.required ? (
              <>
                {' '}
                <span class="hint">({t.required})</span>
              </>
            ) : null}
          </>
        }
      />
    </div>
  );
  const Select = (p: { field: string; label: string; options: [string, string][] }) => {
    const chosen = values[p.field] ?? p.options[0][0];
    const error = errorOf(p.field);
    return (
      <div>
        <label for={p.field}>{p.label}</label>
        <select
          id={p.field}
          name={p.field}
          aria-describedby={error ? `${p.field}-error` : undefined}
          aria-invalid={error ? 'true' : undefined}
        >
          {p.options.map(([value, text]) => (
            <option value={value} selected={chosen === value}>
              {text}
            </option>
          ))}
        </select>
        <FieldError id={p.field} message={error} />
      </div>
    );
  };
  const languageOptions = LANGUAGES.map((l): [string, string] => [l, textsFor(l).languageName]);
  const source = values.source === 'pdf' ? 'pdf' : 'template';
  const signer = (who: 'employee' | 'employer') => {
    const label = who === 'employee' ? t.employeeSigner : t.employerSigner;
    return (
      <>
        <Input field={`${who}SignerName`} label={`${label}: ${t.name}`} required autocomplete="off" />
        <Input field={`${who}SignerEmail`} label={`${label}: ${t.email}`} type="email" required autocomplete="off" />
        <Input field={`${who}SignerPhone`} label={`${label}: ${t.phone}`} type="tel" autocomplete="off" />
        <Select field={`${who}SignerLanguage`} label={`${label}: ${t.signerLanguage}`} options={languageOptions} />
      </>
    );
  };
  return hrPage(
    language,
    t.newContract,
    organization,
    { signedIn: true, selfHref: (l) => `/hr/new?lang=${l}` },
    <>
      <h1>{t.newContract}</h1>
      <ErrorSummary heading={t.fixErrors} headingId="errors-heading" errors={errors} />
      <form method="post" action={`/hr/contracts?lang=${language}`} enctype="multipart/form-data">
        <fieldset>
          <legend>{t.source}</legend>
          <label class="choice">
            <input type="radio" name="source" value="template" checked={source === 'template'} /> {t.fromTemplate}
          </label>
          <label class="choice">
            <input type="radio" name="source" value="pdf" checked={source === 'pdf'} /> {t.fromPdf}
          </label>
          <div class="grid">
            <Input field="title" label={t.title} />
            <Select field="language" label={t.documentLanguage} options={languageOptions} />
            <div>
              <label for="pdf">{t.pdfFile}</label>
              <input
                type="file"
                id="pdf"
                name="pdf"
                accept="application/pdf"
                aria-describedby={errorOf('pdf') ? 'pdf-error' : undefined}
                aria-invalid={errorOf('pdf') ? 'true' : undefined}
              />
              <FieldError id="pdf" message={errorOf('pdf')} />
            </div>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t.terms}</legend>
          <div class="grid">
            <Input field="employerName" label={`${t.employer}: ${t.name}`} />
            <Input field="employerAddress" label={`${t.employer}: ${t.address}`} />
            <Input field="employerBusinessId" label={`${t.employer}: ${t.businessId}`} />
            <Input field="employeeName" label={`${t.employee}: ${t.name}`} />
            <Input field="employeeAddress" label={`${t.employee}: ${t.address}`} />
            <Input field="startDate" label={t.startDate} type="date" />
            <Input field="endDate" label={t.endDate} type="date" />
            <Input field="fixedTermReason" label={t.fixedTermReason} />
            <Input field="trialPeriod" label={t.trialPeriod} />
            <Input field="placeOfWork" label={t.placeOfWork} />
            <Input field="duties" label={t.duties} />
            <Input field="payBasis" label={t.payBasis} />
            <Input field="payPeriod" label={t.payPeriod} />
            <Input field="workingHours" label={t.workingHours} />
            <Input field="annualLeave" label={t.annualLeave} />
            <Input field="noticePeriod" label={t.noticePeriod} />
            <Input field="collectiveAgreement" label={t.collectiveAgreement} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t.signersHeading}</legend>
          <div class="grid">
            {signer('employee')}
            {signer('employer')}
            <Select
              field="signingOrder"
              label={t.order}
              options={[
                ['sequential', t.sequential],
                ['parallel', t.parallel],
              ]}
            />
            <Input field="deadlineDays" label={t.deadlineDays} type="number" required min={1} max={60} />
            <Select
              field="verification"
              label={t.verification}
              options={(['none', 'emailCode', 'smsCode'] as const).map((v): [string, string] => [v, t.verifications[v]])}
            />
            <Input field="hrEmail" label={t.hrEmail} type="email" required autocomplete="email" />
          </div>
        </fieldset>
        <button type="submit">{t.send}</button>
      </form>
    </>,
  );
}

export interface ContractDetail {
  contractId: string;
  title: string;
  status: string;
  deadlineAt: string;
  timeLeftSeconds: number | null;
  open: boolean;
  signers: { participantId: string; name: string; email: string; role: string; order: number; status?: string }[];
  completed: boolean;
  history: { at: Date; action: string; actor: string }[];
}

export function contractDetailPage(
  language: Language,
  organization: string,
  c: ContractDetail,
  message?: { done?: string; error?: string },
): string {
  const t = hrTexts(language);
  const q = `?lang=${language}`;
  const base = `/hr/contracts/${encodeURIComponent(c.contractId)}`;
  const contractFile = (file: string) => `/api/contracts/${encodeURIComponent(c.contractId)}/${file}`;
  return hrPage(
    language,
    c.title,
    organization,
    { signedIn: true, selfHref: (l) => `${base}?lang=${l}` },
    <>
      <h1>{c.title}</h1>
      <Notice t={t} done={message?.done} />
      {message?.error ? (
        <section class="errors" role="alert">
          <h2>{t.actionFailed}</h2>
          <p>{message.error}</p>
        </section>
      ) : null}
      <section>
        <dl>
          <dt>{t.status}</dt>
          <dd>{named(t.statuses, c.status)}</dd>
          <dt>{t.deadline}</dt>
          <dd>
            <Time at={c.deadlineAt} language={language} detail="medium" />
          </dd>
          <dt>{t.timeLeft}</dt>
          <dd>{timeLeft(t, c.timeLeftSeconds)}</dd>
        </dl>
      </section>
      <section aria-labelledby="signers-heading">
        <h2 id="signers-heading">{t.signersOf}</h2>
        <table>
          <caption class="hint">{t.signersOf}</caption>
          <thead>
            <tr>
              <th scope="col">{t.order}</th>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.email}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.actions}</th>
            </tr>
          </thead>
          <tbody>
            {c.signers.map((s) => (
              <tr>
                <td>{s.order}</td>
                <td>
                  {s.name} ({named(t.roles, s.role)})
                </td>
                <td>{s.email}</td>
                <td>{named(t.signerStatus, s.status ?? 'waiting')}</td>
                <td>
                  {c.open && s.status === 'invited' ? (
                    <form method="post" action={`${base}/resend${q}`}>
                      <input type="hidden" name="participantId" value={s.participantId} />
                      <button type="submit" class="secondary" aria-label={`${t.resend}: ${s.name}`}>
                        {t.resend}
                      </button>
                    </form>
                  ) : (
                    t.nobody
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {c.completed ? (
        <section aria-labelledby="downloads-heading">
          <h2 id="downloads-heading">{t.downloads}</h2>
          <ul>
            <li>
              <a href={contractFile('sealed.pdf')}>{t.sealedPdf}</a>
            </li>
            <li>
              <a href={contractFile('certificate.pdf')}>{t.certificate}</a>
            </li>
          </ul>
        </section>
      ) : null}
      {c.open ? (
        <>
          <section aria-labelledby="extend-heading">
            <h2 id="extend-heading">{t.extendHeading}</h2>
            <form method="post" action={`${base}/extend${q}`}>
              <label for="days">{t.extendBy}</label>
              <input type="number" id="days" name="days" min={1} max={60} value="7" required />
              <button type="submit">{t.extend}</button>
            </form>
          </section>
          <section aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">{t.cancelHeading}</h2>
            <form method="post" action={`${base}/cancel${q}`}>
              <label for="reason">{t.reason}</label>
              <textarea id="reason" name="reason" rows={2} maxlength={500} required />
              <button type="submit" class="secondary">
                {t.cancel}
              </button>
            </form>
          </section>
        </>
      ) : null}
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t.history}</h2>
        <ol>
          {c.history.map((e) => (
            <li>
              <Time at={e.at} language={language} detail="medium" />: {e.action} ({e.actor})
            </li>
          ))}
        </ol>
      </section>
      <p>
        <a href={`/hr${q}`}>{t.back}</a>
      </p>
    </>,
  );
}
