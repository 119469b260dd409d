import { byId, messageOf } from './staffApi';

/** The rectification request behind the link sent with a decision: one text, posted as JSON. */

const form = byId('rectification', HTMLFormElement);
const text = byId('text', HTMLTextAreaElement);

function firstDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('details' in body) || !Array.isArray(body.details)) return undefined;
  const first: unknown = body.details[0];
  return typeof first === 'object' && first !== null && 'message' in first && typeof first.message === 'string' ? first.message : undefined;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = byId('text-error', HTMLElement);
  error.hidden = true;
  const response = await fetch(form.dataset.postTo ?? '', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: text.value }),
  });
  if (response.ok) {
    form.hidden = true;
    const done = byId('done', HTMLElement);
    done.hidden = false;
    done.focus();
    return;
  }
  const body: unknown = await response.json().catch(() => ({}));
  error.textContent = firstDetail(body) ?? messageOf(body) ?? form.dataset.failed ?? '';
  error.hidden = false;
  text.setAttribute('aria-invalid', 'true');
  text.focus();
});
