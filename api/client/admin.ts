import { loadAdminSections } from './adminSections';
import { api, byId, errorMessage } from './staffApi';

/**
 * The admin page's script (/admin): the page itself is rendered on the
 * server; this signs in and out, and sends the chosen action to the admin
 * API, then shows the page again with the outcome.
 */

const problem = byId('problem', HTMLElement);

function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value;
  return values;
}

document.getElementById('signin-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId('token', HTMLInputElement).value;
  api('/api/session', { method: 'POST', body: JSON.stringify({ token }) })
    .then(() => location.reload())
    .catch((error: unknown) => (problem.textContent = errorMessage(error)));
});

document.getElementById('sign-out')?.addEventListener('click', () => {
  api('/api/session', { method: 'DELETE' })
    .then(() => location.assign('/admin'))
    .catch((error: unknown) => (problem.textContent = errorMessage(error)));
});

document.getElementById('act')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = formValues(event.currentTarget as HTMLFormElement);
  const body: Record<string, string> = { action: form.action ?? '', reason: form.reason ?? '' };
  if (form.action === 'extend') body.deadlineAt = form.deadlineAt ? new Date(form.deadlineAt).toISOString() : '';
  if (form.action === 'reassign') Object.assign(body, { participantId: form.participantId, email: form.email, name: form.name });
  const processId = form.processId ?? '';
  api(`/api/admin/processes/${encodeURIComponent(processId)}/actions`, { method: 'POST', body: JSON.stringify(body) })
    .then(() => {
      const next = new URLSearchParams(location.search);
      next.delete('action');
      next.set('process', processId);
      next.set('done', body.action);
      location.assign(`/admin?${next}`);
    })
    .catch((error: unknown) => (problem.textContent = errorMessage(error)));
});

// An admin's page carries the other sections' tables: fill them.
if (document.getElementById('webhooks-section')) loadAdminSections().catch((error: unknown) => (problem.textContent = errorMessage(error)));
