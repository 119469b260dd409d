import { helsinkiTime, type TimeLanguage } from '../../common/helsinkiTime';
import { api, byId, errorMessage } from './staffApi';

/**
 * The admin page's sections beside the stuck list, each a thin client of its
 * admin API: the Suomi.fi Messages event feed's alerts, webhook
 * subscriptions (the secret shown once), dead letters with a one-click
 * redeliver and the delivery log; API keys for machine clients; archived
 * documents' timestamp renewal. The page renders them only for an admin.
 */

const message = byId('message', HTMLElement);
const problem = byId('problem', HTMLElement);

function say(text: string, isProblem = false): void {
  message.textContent = isProblem ? '' : text;
  problem.textContent = isProblem ? text : '';
}

function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value;
  return values;
}

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

interface Subscription {
  subscriptionId: string;
  url: string;
  eventTypes: string[];
  active: boolean;
}

interface Delivery {
  webhookId: string;
  status: string;
  attempts: number;
  lastStatusCode?: number | null;
  lastError?: string | null;
  lastLatencyMs?: number;
  event: { type: string; processId: string };
}

// Looked up when used: the sections are on the page only for a signed-in admin, and this module loads on every admin page.
const webhooks = (): HTMLElement => byId('webhooks-section', HTMLElement);
/** The section's texts, from the catalog through its data attributes. */
const text = (name: string): string => webhooks().dataset[name] ?? name;
const statusTexts = (): Record<string, string> => JSON.parse(webhooks().dataset.statuses ?? '{}') as Record<string, string>;

function button(label: string, onClick: () => Promise<void>): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', () => {
    onClick().catch((error: unknown) => say(errorMessage(error), true));
  });
  return b;
}

function deliveryRow(d: Delivery, action?: HTMLButtonElement): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const answer = d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '–');
  tr.append(
    cell(d.event.type),
    cell(d.event.processId),
    cell(statusTexts()[d.status] ?? d.status),
    cell(String(d.attempts)),
    cell(answer),
    cell(d.lastLatencyMs === undefined ? '–' : `${d.lastLatencyMs} ms`),
  );
  if (action) {
    const td = document.createElement('td');
    td.append(action);
    tr.append(td);
  }
  return tr;
}

async function loadFeed(): Promise<void> {
  const { eventFeed, alerts } = await api<{ eventFeed: unknown; alerts: { message: string }[] }>('/api/admin/suomifi-messages');
  const items = alerts.length ? alerts.map((a) => a.message) : [eventFeed ? text('feedOk') : text('feedNotRead')];
  byId('feed-alerts', HTMLElement).replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      li.textContent = item;
      if (alerts.length) li.setAttribute('role', 'alert');
      return li;
    }),
  );
}

async function loadWebhooks(): Promise<void> {
  const [{ subscriptions }, { deadLetters }, { deliveries }] = await Promise.all([
    api<{ subscriptions: Subscription[] }>('/api/admin/webhooks/subscriptions'),
    api<{ deadLetters: Delivery[] }>('/api/admin/webhooks/dead-letters?limit=50'),
    api<{ deliveries: Delivery[] }>('/api/admin/webhooks/deliveries?limit=50'),
  ]);
  byId('subscriptions', HTMLElement).replaceChildren(
    ...subscriptions.map((s) => {
      const tr = document.createElement('tr');
      tr.append(cell(s.url), cell(s.eventTypes.join(', ')), cell(s.active ? text('active') : text('stopped')));
      const td = document.createElement('td');
      if (s.active)
        td.append(
          button(text('remove'), async () => {
            await api(`/api/admin/webhooks/subscriptions/${encodeURIComponent(s.subscriptionId)}`, { method: 'DELETE' });
            say(text('removed'));
            await loadWebhooks();
          }),
        );
      tr.append(td);
      return tr;
    }),
  );
  const deadRows = deadLetters.map((d) =>
    deliveryRow(
      d,
      button(text('redeliver'), async () => {
        await api(`/api/admin/webhooks/dead-letters/${encodeURIComponent(d.webhookId)}/redeliver`, { method: 'POST' });
        say(text('redelivered'));
        await loadWebhooks();
      }),
    ),
  );
  if (!deadRows.length) {
    const tr = document.createElement('tr');
    const td = cell(text('noneDead'));
    td.colSpan = 7;
    tr.append(td);
    deadRows.push(tr);
  }
  byId('dead-letters', HTMLElement).replaceChildren(...deadRows);
  byId('deliveries', HTMLElement).replaceChildren(...deliveries.map((d) => deliveryRow(d)));
}

interface ApiKeyRow {
  _id: string;
  name: string;
  roles: string[];
  units?: string[];
  expiresAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

// The keys' and archived documents' texts, from the catalog through the section's data attributes.
const keysText = (name: string): string => byId('keys-section', HTMLElement).dataset[name] ?? name;
const roleWords = (roles: string[]): string => {
  const words = JSON.parse(byId('keys-section', HTMLElement).dataset.roles ?? '{}') as Record<string, string>;
  return roles.map((role) => words[role] ?? role).join(', ');
};
/** Helsinki time in the page's language, as the server-rendered parts of the page write it. */
const helsinki = (iso: string): string => helsinkiTime(iso, document.documentElement.lang as TimeLanguage, 'short', 'short');

async function loadKeys(): Promise<void> {
  const { apiKeys } = await api<{ apiKeys: ApiKeyRow[] }>('/api/admin/api-keys');
  byId('keys', HTMLElement).replaceChildren(
    ...apiKeys.map((k) => {
      const tr = document.createElement('tr');
      tr.append(
        cell(k.name),
        cell(roleWords(k.roles)),
        cell(k.units?.length ? k.units.join(', ') : keysText('everyUnit')),
        cell(helsinki(k.expiresAt)),
        cell(k.lastUsedAt ? helsinki(k.lastUsedAt) : keysText('never')),
      );
      const state = cell(k.revokedAt ? keysText('revoked') : Date.parse(k.expiresAt) < Date.now() ? keysText('expired') : '');
      if (!k.revokedAt) {
        const revoke = document.createElement('button');
        revoke.type = 'button';
        revoke.textContent = `${keysText('revoke')} ${k.name}`;
        revoke.addEventListener('click', () => {
          api(`/api/admin/api-keys/${encodeURIComponent(k._id)}`, { method: 'DELETE' })
            .then(loadKeys)
            .then(() => say(`${keysText('revokedDone')} ${k.name}.`))
            .catch((error: unknown) => say(errorMessage(error), true));
        });
        state.append(revoke);
      }
      tr.append(state);
      return tr;
    }),
  );
}

document.getElementById('key-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(byId('key-form', HTMLFormElement));
  const text = (field: string): string => {
    const value = form.get(field);
    return typeof value === 'string' ? value : '';
  };
  const expires = text('expiresAt');
  const body = {
    name: text('name'),
    roles: form.getAll('roles').map(String),
    units: text('units')
      .split(',')
      .map((unit) => unit.trim())
      .filter(Boolean),
    expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : '',
  };
  try {
    const { key } = await api<{ key: string }>('/api/admin/api-keys', { method: 'POST', body: JSON.stringify(body) });
    byId('new-key', HTMLElement).textContent = `${keysText('newKey')} ${key}`;
    await loadKeys();
  } catch (error) {
    say(errorMessage(error), true);
  }
});

interface ArchivedDocument {
  archiveId: string;
  status?: string;
  waitingFor?: string;
  proofExpiresAt?: string;
  nextDueAt?: string;
  overdue: boolean;
  lastFailure?: string;
}

async function loadArchived(): Promise<void> {
  const { documents } = await api<{ documents: ArchivedDocument[] }>('/api/admin/archived-documents');
  const day = (iso?: string) => (iso ? helsinki(iso) : '—');
  byId('archived', HTMLElement).replaceChildren(
    ...documents.map((d) => {
      const tr = document.createElement('tr');
      const status = [d.status ?? '', d.waitingFor ? `${keysText('waitingFor')} ${d.waitingFor}` : '', d.lastFailure ?? '']
        .filter(Boolean)
        .join(' · ');
      tr.append(
        cell(d.archiveId),
        cell(`${day(d.nextDueAt)}${d.overdue ? ` ${keysText('dueNow')}` : ''}`),
        cell(day(d.proofExpiresAt)),
        cell(status),
      );
      return tr;
    }),
  );
}

document.getElementById('subscribe')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = formValues(byId('subscribe', HTMLFormElement));
  const description = (form.description ?? '').trim();
  const checked = new FormData(byId('subscribe', HTMLFormElement)).getAll('eventTypes');
  const body = {
    url: form.url ?? '',
    eventTypes: checked.filter((type): type is string => typeof type === 'string'),
    ...(description ? { description } : {}),
  };
  try {
    const { secret } = await api<{ secret: string }>('/api/admin/webhooks/subscriptions', { method: 'POST', body: JSON.stringify(body) });
    byId('new-secret-value', HTMLElement).textContent = secret;
    byId('new-secret', HTMLElement).hidden = false;
    byId('subscribe', HTMLFormElement).reset();
    await loadWebhooks();
  } catch (error) {
    say(errorMessage(error), true);
  }
});

document.getElementById('webhooks-refresh')?.addEventListener('click', () => {
  Promise.all([loadFeed(), loadWebhooks()]).catch((error: unknown) => say(errorMessage(error), true));
});

export async function loadAdminSections(): Promise<void> {
  webhooks().hidden = false;
  await Promise.all([loadArchived(), loadKeys(), loadFeed(), loadWebhooks()]);
}
