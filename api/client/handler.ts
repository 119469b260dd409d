import { api, byId, errorMessage } from './staffApi';

/**
 * The handler's pages (/kasittely): rendered on the server; this signs in
 * and out, sends a case's action to the handler API, and while a case is
 * open polls its small progress endpoint and redraws the case (without a
 * reload) when its state changes, such as when the signed decision has
 * gone out.
 */

const POLL_MS = 2000;
// Looked up each time: a redraw replaces them.
const problem = () => byId('problem', HTMLElement);
const message = () => byId('message', HTMLElement);

function show(error: unknown): void {
  problem().textContent = errorMessage(error);
}

document.getElementById('signin')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId('token', HTMLInputElement).value;
  api('/api/session', { method: 'POST', body: JSON.stringify({ token }) })
    .then(() => location.reload())
    .catch(show);
});

document.getElementById('sign-out')?.addEventListener('click', () => {
  api('/api/session', { method: 'DELETE' })
    .then(() => location.assign('/kasittely'))
    .catch(show);
});

const caseId = byId('handler', HTMLElement).dataset.case;
let fingerprint: string | undefined;

/** The case drawn again from the server, in place: the same page, its newest state. */
async function redraw(note?: string): Promise<void> {
  const html = await (await fetch(location.href, { credentials: 'same-origin' })).text();
  const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('handler');
  if (!fresh) return;
  byId('handler', HTMLElement).replaceChildren(...Array.from(fresh.childNodes));
  wireActions();
  if (note) message().textContent = note;
}

/** The body of each action, from its form's fields. */
function bodyOf(form: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(form);
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value : '';
  };
  switch (form.dataset.action) {
    case 'supplementation-request':
      // The deadline day in Finland: 20:59:59 UTC is before midnight in Helsinki in summer and winter alike.
      return {
        fields: data.getAll('fields').filter((v) => typeof v === 'string'),
        message: text('message'),
        deadline: text('deadline') ? `${text('deadline')}T20:59:59Z` : '',
      };
    case 'decision':
      return { outcome: text('outcome'), amount: text('amount') || '0', reasoning: text('reasoning') };
    case 'rectification-resolution':
      return text('resolution') === 'corrected'
        ? { resolution: 'corrected', outcome: text('outcome'), amount: text('amount') || '0', reasoning: text('reasoning') }
        : { resolution: 'upheld', reasoning: text('reasoning') };
    default:
      return {};
  }
}

function wireActions(): void {
  for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form.action'))) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      problem().textContent = '';
      const saved = message().dataset.saved ?? '';
      api(`/api/applications/${encodeURIComponent(caseId ?? '')}/${form.dataset.action}`, {
        method: 'POST',
        body: JSON.stringify(bodyOf(form)),
      })
        .then(() => redraw(saved))
        .catch(show);
    });
  }
}

async function poll(): Promise<void> {
  try {
    const progress = await api<{ fingerprint: string }>(`/api/applications/${encodeURIComponent(caseId ?? '')}/progress`);
    if (fingerprint !== undefined && progress.fingerprint !== fingerprint) await redraw(message().dataset.updated);
    fingerprint = progress.fingerprint;
  } catch {
    // Signed out or offline for a moment: the next poll tries again.
  }
  setTimeout(() => void poll(), POLL_MS);
}

if (caseId && !document.getElementById('signin')) {
  wireActions();
  void poll();
}
