import type { VerificationFailure } from '../verification/signerVerification';
import { type Catalog, textsFor } from '../texts/catalog';
import { isLanguage, type Language } from '../texts/language';
import { ConsentBox, ErrorSummary, FieldError, TextField } from './views/kit/formControls';
import { explanationPage as explain, participantPage } from './views/kit/participantPage';
import { PageImages } from './views/kit/pageImages';
import { readableTime, Time } from './views/kit/time';

/**
 * The signer's pages, rendered on the server: no script, one column, large
 * targets, works on a small phone. Written to WCAG 2.1 AA: the page's
 * language is declared, every control has a visible label, errors are
 * text tied to their field, contrast is at least 4.5:1 and focus is
 * always visible. Every text is in the fi/sv/en catalogs.
 */

export type Explanation = keyof Catalog['signer']['explain'];
export type SignerStatusName = keyof Catalog['signer']['status'];

export function chooseLanguage(query: unknown, acceptLanguage: string | undefined, fallback: Language): Language {
  if (isLanguage(query)) return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if (isLanguage(code)) return code;
  }
  return fallback;
}

export interface SignerListEntry {
  roleLabel: string;
  name: string;
  order: number;
  status: SignerStatusName;
  isYou: boolean;
}

export interface SignPageModel {
  language: Language;
  organization: string;
  title: string;
  roleLabel: string;
  signerName: string;
  deadline: Date;
  signers: SignerListEntry[];
  pageCount: number;
  documentSha256: string;
  base: string;
  errors?: { consent?: boolean; name?: boolean; reason?: boolean };
  typedName?: string;
}

export function signPage(m: SignPageModel): string {
  const t = textsFor(m.language).signer;
  const q = `?lang=${m.language}`;
  const errors = [
    m.errors?.consent ? { field: 'consent', message: t.consentMissing } : undefined,
    m.errors?.name ? { field: 'typedName', message: t.nameMismatch } : undefined,
    m.errors?.reason ? { field: 'reason', message: t.reasonMissing } : undefined,
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
        <section aria-labelledby="details">
          <h2 id="details">{m.title}</h2>
          <dl>
            <dt>{t.from}</dt>
            <dd>{m.organization}</dd>
            <dt>{t.yourRole}</dt>
            <dd>{m.roleLabel}</dd>
            <dt>{t.deadline}</dt>
            <dd>
              <Time at={m.deadline} language={m.language} />
            </dd>
          </dl>
        </section>
        <section aria-labelledby="signers">
          <h2 id="signers">{t.signers}</h2>
          <ol>
            {m.signers.map((s) => (
              <li>
                {s.name}
                {s.isYou ? ` (${t.you})` : ''}, {s.roleLabel}: {t.status[s.status]}
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="document">
          <h2 id="document">{t.document}</h2>
          <p>
            <a href={`${m.base}/document.pdf${q}`}>{t.openPdf}</a>
          </p>
          <PageImages base={m.base} count={m.pageCount} alt={(n) => `${m.title}: ${t.page(n, m.pageCount)}`} />
        </section>
        <section aria-labelledby="sign">
          <h2 id="sign">{t.sign}</h2>
          <form method="post" action={`${m.base}/sign${q}`}>
            <input type="hidden" name="documentSha256" value={m.documentSha256} />
            <ConsentBox id="consent" name="consent" text={t.consent} required error={m.errors?.consent ? t.consentMissing : undefined} />
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
        <section aria-labelledby="declineHeading">
          <h2 id="declineHeading">{t.declineHeading}</h2>
          <form method="post" action={`${m.base}/decline${q}`}>
            <input type="hidden" name="documentSha256" value={m.documentSha256} />
            <label for="reason">{t.reason}</label>
            <textarea
              id="reason"
              name="reason"
              rows={3}
              maxlength={1000}
              required
              aria-invalid={m.errors?.reason ? 'true' : undefined}
              aria-describedby={m.errors?.reason ? 'reason-error' : undefined}
            />
            <FieldError id="reason" message={m.errors?.reason ? t.reasonMissing : undefined} />
            <button type="submit" class="secondary">
              {t.decline}
            </button>
          </form>
        </section>
      </>
    ),
  });
}

export interface ReceiptPageModel {
  language: Language;
  organization: string;
  title: string;
  decision: 'sign' | 'decline';
  decidedAt: Date;
  documentSha256?: string;
  /** Set once the document is complete and sealed. */
  downloadHref?: string;
  base: string;
}

export function receiptPage(m: ReceiptPageModel): string {
  const t = textsFor(m.language).signer;
  const heading = m.decision === 'sign' ? t.signedHeading : t.declinedHeading;
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
          {m.decision === 'sign' && m.downloadHref ? (
            <>
              <p>{t.completedInfo}</p>
              <p>
                <a href={m.downloadHref}>{t.download}</a>
              </p>
            </>
          ) : null}
          {m.decision === 'sign' && !m.downloadHref ? <p>{t.pendingInfo}</p> : null}
        </section>
      </>
    ),
  });
}

export function explanationPage(language: Language, organization: string, kind: Explanation): string {
  const [heading, text] = textsFor(language).signer.explain[kind];
  return explain({ language, organization, heading, texts: [text] });
}

export interface VerifyPageModel {
  language: Language;
  organization: string;
  title: string;
  base: string;
  channel: 'email' | 'sms';
  /** Set once a code has gone out: where to (masked). */
  sentTo?: string;
  error?: VerificationFailure;
}

/** The one-time code step before the signing form, when the sender asked for it. */
export function verifyPage(m: VerifyPageModel): string {
  const t = textsFor(m.language).signer;
  const q = `?lang=${m.language}`;
  return participantPage({
    language: m.language,
    title: t.verifyHeading,
    organization: m.organization,
    languageLink: (l) => `${m.base}?lang=${l}`,
    children: (
      <>
        <h1>{t.verifyHeading}</h1>
        <section aria-labelledby="verify">
          <h2 id="verify">{m.title}</h2>
          <p>{t.verifyIntro}</p>
          {m.sentTo ? <p role="status">{t.codeSent(m.sentTo)}</p> : null}
          {m.sentTo || m.error ? (
            <form method="post" action={`${m.base}/verify${q}`}>
              <TextField
                id="code"
                label={t.codeLabel}
                hint={t.codeHint}
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9 ]{6,7}"
                maxlength={7}
                required
                error={m.error ? t.codeErrors[m.error] : undefined}
              />
              <button type="submit" class="primary">
                {t.confirmCode}
              </button>
            </form>
          ) : null}
          <form method="post" action={`${m.base}/code${q}`}>
            <button type="submit" class={m.sentTo ? 'secondary' : 'primary'}>
              {m.sentTo ? t.sendAgain : t.sendCode[m.channel]}
            </button>
          </form>
        </section>
      </>
    ),
  });
}

/** Strong identification before the signing form: the button that sends the signer to Suomi.fi e-Identification. */
export function identifyPage(m: { language: Language; organization: string; title: string; base: string }): string {
  const t = textsFor(m.language).signer;
  return participantPage({
    language: m.language,
    title: t.verifyHeading,
    organization: m.organization,
    languageLink: (l) => `${m.base}?lang=${l}`,
    children: (
      <>
        <h1>{t.verifyHeading}</h1>
        <section aria-labelledby="identify">
          <h2 id="identify">{m.title}</h2>
          <p>{t.identifyIntro}</p>
          <form method="post" action={`${m.base}/identify?lang=${m.language}`}>
            <button type="submit" class="primary">
              {t.identify}
            </button>
          </form>
        </section>
      </>
    ),
  });
}
