import { helsinkiTime, type TimeLanguage } from '../../common/helsinkiTime';
import { api, byId, errorMessage } from './staffApi';

/** The registry console (/registry): sign in, then every recent letter batch, refreshed while one is still sending, in the page's language and Helsinki time. */

interface Words {
  letters: string;
  sent: string;
  electronic: string;
  paper: string;
  cost: string;
  allPaper: string;
  report: string;
  state: string;
  none: string;
  statuses: Record<string, string>;
}

interface Batch {
  batchId: string;
  createdAt: string;
  total: number;
  processed: number;
  percent: number;
  status: string;
  byChannel?: { electronic?: number; paper?: number };
  costCents: number;
  paperCostCents: number;
  report?: string;
  reportReady: boolean;
}

const problem = byId('problem', HTMLElement);
const list = byId('batches', HTMLElement);
const language = (list.dataset.language ?? 'fi') as TimeLanguage;
const words = JSON.parse(list.dataset.texts ?? '{}') as Words;

function euros(cents: number): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : `${language}-FI`, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

function element(tag: string, text?: string, attributes: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  return node;
}

function render(batch: Batch): HTMLElement {
  const article = element('article', undefined, { 'aria-labelledby': `title-${batch.batchId}` });
  article.append(
    element('h3', `${helsinkiTime(batch.createdAt, language, 'medium', 'short')} – ${batch.total} ${words.letters}`, {
      id: `title-${batch.batchId}`,
    }),
  );
  const label = element('label', `${words.sent}: ${batch.processed} / ${batch.total} (${batch.percent} %)`, {
    for: `progress-${batch.batchId}`,
  });
  const bar = element('progress', `${batch.percent} %`, {
    id: `progress-${batch.batchId}`,
    max: String(batch.total),
    value: String(batch.processed),
  });
  const channels = batch.byChannel ?? {};
  article.append(
    label,
    bar,
    element(
      'p',
      `${words.electronic}: ${channels.electronic ?? 0} · ${words.paper}: ${channels.paper ?? 0}` +
        ` · ${words.cost}: ${euros(batch.costCents)} (${words.allPaper} ${euros(batch.paperCostCents)})`,
    ),
  );
  if (batch.report) article.append(element('a', words.report, { href: batch.report }));
  else article.append(element('p', `${words.state}: ${words.statuses[batch.status] ?? batch.status}`));
  return article;
}

let timer: ReturnType<typeof setTimeout> | undefined;

async function load(): Promise<void> {
  const { batches } = await api<{ batches: Batch[] }>('/api/letter-batches');
  list.replaceChildren(...(batches.length ? batches.map(render) : [element('p', words.none)]));
  clearTimeout(timer);
  if (batches.some((b) => !b.reportReady)) {
    timer = setTimeout(
      () =>
        load().catch((error: unknown) => {
          problem.textContent = errorMessage(error);
        }),
      3000,
    );
  }
}

async function signedIn(): Promise<void> {
  await load();
  problem.textContent = '';
  byId('signin', HTMLElement).hidden = true;
  byId('batches-section', HTMLElement).hidden = false;
}

byId('signin-form', HTMLFormElement).addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('/api/session', { method: 'POST', body: JSON.stringify({ token: byId('token', HTMLInputElement).value }) });
    await signedIn();
  } catch (error) {
    problem.textContent = errorMessage(error);
  }
});

// Already signed in (the session cookie is there): show the batches straight away.
signedIn().catch(() => undefined);
