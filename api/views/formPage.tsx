import { h } from 'preact';
import type { FormDefinition, FormField } from '../../forms/formDefinitions';
import { textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import { explanationPage, participantPage } from './kit/participantPage';
import { readableTime } from './kit/time';

/**
 * The public page of an e-form, built from the form's definition: one
 * labelled input per field with its help text, file inputs with their
 * rules, and a summary of errors that links to each field. The page's
 * script (/assets/applicationForm.js) posts the same JSON as the API, so
 * the page and the API cannot disagree.
 */

const INPUT_TYPES: Partial<Record<FormField['type'], 'email' | 'date'>> = { email: 'email', date: 'date' };
const INPUT_MODES: Partial<Record<FormField['type'], string>> = { amount: 'decimal', integer: 'numeric', postalCode: 'numeric' };
const AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  street: 'street-address',
  postalCode: 'postal-code',
  city: 'address-level2',
  fullName: 'name',
  contactName: 'name',
};

function Required(p: { language: Language; required: boolean }) {
  const t = textsFor(p.language).form;
  return <span class="hint">({p.required ? t.required : t.optional})</span>;
}

function Field(p: { field: FormField; language: Language }) {
  const { field, language } = p;
  const id = `f-${field.name}`;
  const common = {
    id,
    name: field.name,
    'aria-describedby': [field.help ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '),
    required: field.required,
    'aria-required': field.required ? ('true' as const) : undefined,
    maxlength: field.maxLength,
    autocomplete: AUTOCOMPLETE[field.name],
  };
  return (
    <>
      <label for={id}>
        {field.label[language]} <Required language={language} required={field.required} />
      </label>
      {field.help ? (
        <p class="hint" id={`${id}-hint`}>
          {field.help[language]}
        </p>
      ) : null}
      {field.type === 'textarea' ? (
        <textarea {...common} rows={4} />
      ) : (
        // h(): the JSX typing of <input> cannot take a type chosen at run time.
        h('input', { type: INPUT_TYPES[field.type] ?? 'text', ...common, inputmode: INPUT_MODES[field.type] })
      )}
      <p class="error" id={`${id}-error`} hidden></p>
    </>
  );
}

/**
 * The form, or the part of it a supplementation asks for (`only`), posting
 * JSON to `postTo` with `payload` alongside the values and attachments.
 */
export interface FormPageModel {
  form: FormDefinition;
  language: Language;
  organization: string;
  /** Query string kept by the language links, e.g. "round=2026-spring". */
  query: string;
  postTo: string;
  payload: Record<string, string>;
  only?: string[];
  intro?: string;
  doneText?: string;
}

export function formPage(m: FormPageModel): string {
  const { form, language } = m;
  const t = textsFor(language).form;
  const title = form.title[language];
  const asked = (name: string) => !m.only || m.only.includes(name);
  const fields = form.fields.filter((f) => asked(f.name));
  const attachments = form.attachments.filter((a) => asked(a.name));
  return participantPage({
    language,
    title,
    organization: m.organization,
    stylesheet: 'form',
    script: 'applicationForm',
    languageLink: (l) => `?lang=${l}${m.query ? `&${m.query}` : ''}`,
    languageMenuLabel: t.languages,
    children: (
      <>
        <h1>{title}</h1>
        <section id="summary" tabindex={-1} role="alert" hidden>
          <h2>{t.errors}</h2>
          <ul id="summary-list"></ul>
        </section>
        {m.intro ? (
          <section>
            <p>{m.intro}</p>
          </section>
        ) : null}
        <section id="done" tabindex={-1} role="status" hidden>
          <p>{m.doneText ?? t.sent}</p>
        </section>
        <form id="application" novalidate data-post-to={m.postTo} data-payload={JSON.stringify(m.payload)} data-failed={t.failed}>
          {fields.length ? (
            <fieldset>
              <legend>{title}</legend>
              {fields.map((f) => (
                <Field field={f} language={language} />
              ))}
            </fieldset>
          ) : null}
          {attachments.length ? (
            <fieldset>
              <legend>{t.attachments}</legend>
              {attachments.map((a) => {
                const id = `f-${a.name}`;
                return (
                  <>
                    <label for={id}>
                      {a.label[language]} <Required language={language} required={a.required} />
                    </label>
                    {a.help ? (
                      <p class="hint" id={`${id}-hint`}>
                        {a.help[language]}
                      </p>
                    ) : null}
                    <input
                      type="file"
                      id={id}
                      name={a.name}
                      data-attachment
                      accept={a.types.join(',')}
                      aria-describedby={`${a.help ? `${id}-hint ` : ''}${id}-error`}
                      aria-required={a.required ? 'true' : undefined}
                    />
                    <p class="error" id={`${id}-error`} hidden></p>
                  </>
                );
              })}
            </fieldset>
          ) : null}
          <button type="submit">{t.send}</button>
        </form>
      </>
    ),
  });
}

/** The page behind the link sent with a decision: one text box, posted as JSON to `postTo` by /assets/rectification.js. */
export function rectificationPage(m: {
  language: Language;
  organization: string;
  caseNumber: string;
  endsAt: Date;
  postTo: string;
}): string {
  const t = textsFor(m.language).rectification;
  const ends = readableTime(m.endsAt, m.language);
  return participantPage({
    language: m.language,
    title: t.title,
    organization: m.organization,
    stylesheet: 'form',
    script: 'rectification',
    children: (
      <>
        <h1>
          {t.title}: {m.caseNumber}
        </h1>
        <section>
          <p>
            {t.deadline} {ends}.
          </p>
        </section>
        <section id="done" tabindex={-1} role="status" hidden>
          <p>{t.sent}</p>
        </section>
        <form id="rectification" novalidate data-post-to={m.postTo} data-failed={t.failed}>
          <label for="text">{t.label}</label>
          <textarea id="text" name="text" rows={8} required aria-required="true" aria-describedby="text-error" maxlength={10000} />
          <p class="error" id="text-error" role="alert" hidden></p>
          <button type="submit">{t.send}</button>
        </form>
      </>
    ),
  });
}

/** The applicant's personal link when it can no longer be used. */
export function applicantLinkClosedPage(language: Language, organization: string): string {
  const t = textsFor(language).applicantLink;
  return explanationPage({ language, organization, heading: t.closed, texts: [t.contact] });
}

/** What the supplementation page says once the supplement is in. */
export function supplementedText(language: Language): string {
  return textsFor(language).applicantLink.supplemented;
}
