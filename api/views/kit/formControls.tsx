import { type ComponentChildren, h, type VNode } from 'preact';

/**
 * Form controls written once: a label above its control, a hint and an
 * error tied to the control with aria-describedby, and the summary of
 * errors at the top that links to each field.
 */

/** The ids a control is described by: its hint and its error, when shown. */
export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function Hint(p: { id: string; children: ComponentChildren }): VNode {
  return (
    <p id={`${p.id}-hint`} class="hint">
      {p.children}
    </p>
  );
}

export function FieldError(p: { id: string; message?: string }): VNode | null {
  return p.message ? (
    <p id={`${p.id}-error`} class="error">
      {p.message}
    </p>
  ) : null;
}

/** The summary of errors at the top of a form: each links to its field. */
export function ErrorSummary(p: { heading: string; errors: { field: string; message: string }[]; headingId?: string }): VNode | null {
  if (p.errors.length === 0) return null;
  return (
    <section class="errors" role="alert" aria-labelledby={p.headingId}>
      <h2 id={p.headingId}>{p.heading}</h2>
      <ul>
        {p.errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A checkbox with its text as the label, and its error below. */
export function ConsentBox(p: { id: string; name: string; text: string; error?: string; required?: boolean }): VNode {
  return (
    <>
      <label class="check" for={p.id}>
        <input
          type="checkbox"
          id={p.id}
          name={p.name}
          value="yes"
          required={p.required}
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby={p.error ? `${p.id}-error` : undefined}
        />
        <span>{p.text}</span>
      </label>
      <FieldError id={p.id} message={p.error} />
    </>
  );
}

/** A one-line text input with its label, hint and error. */
export function TextField(p: {
  id: string;
  label: ComponentChildren;
  hint?: string;
  error?: string;
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'date' | 'number' | 'password';
  required?: boolean;
  /** Required in some cases only (the page says when): announced as required without the browser enforcing it. */
  ariaRequired?: boolean;
  autocomplete?: string;
  inputmode?: string;
  pattern?: string;
  maxlength?: number;
  min?: string | number;
  max?: string | number;
  name?: string;
}): VNode {
  return (
    <>
      <label for={p.id}>{p.label}</label>
      {p.hint ? <Hint id={p.id}>{p.hint}</Hint> : null}
      {/* Built with h(): the JSX typing of <input> cannot take a type chosen at run time. */}
      {h('input', {
        type: p.type ?? 'text',
        id: p.id,
        name: p.name ?? p.id,
        value: p.value,
        required: p.required,
        'aria-required': p.ariaRequired ? 'true' : undefined,
        autocomplete: p.autocomplete,
        inputmode: p.inputmode,
        pattern: p.pattern,
        maxlength: p.maxlength,
        min: p.min,
        max: p.max,
        'aria-describedby': describedBy(p.id, Boolean(p.hint), Boolean(p.error)),
        'aria-invalid': p.error ? 'true' : undefined,
      })}
      <FieldError id={p.id} message={p.error} />
    </>
  );
}
