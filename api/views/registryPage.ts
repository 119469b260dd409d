import escapeHtml from 'escape-html';

/**
 * The registry's page (kirjaamo): sign in with a registry token, then every
 * recent letter batch with a progress bar, what went electronically and on
 * paper, and the report once it is ready. A thin client of
 * /api/letter-batches on the staff session cookie; it refreshes itself while
 * a batch is still sending.
 */
export function registryPage(organization: string): string {
  return `<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kirjaamo – kirjeerät / Registry – letter batches</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; line-height: 1.5; }
  header, main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  header { border-bottom: 1px solid #767676; }
  label { display: block; font-weight: 600; margin-top: .5rem; }
  input, button { font: inherit; padding: .5rem; }
  button { background: #1a4f8b; color: #fff; border: 0; border-radius: 4px; cursor: pointer; margin-top: .5rem; }
  button:focus, input:focus, a:focus { outline: 3px solid #ffbf47; }
  article { border: 1px solid #c9ced6; border-radius: .5rem; padding: 1rem; margin: 1rem 0; }
  progress { width: 100%; height: 1.5rem; }
  [role=alert] { color: #a00000; font-weight: 600; }
</style>
</head>
<body>
<header>
  <h1>Kirjaamo: kirjeerät <span lang="en">/ Registry: letter batches</span></h1>
  <p>${escapeHtml(organization)}</p>
</header>
<main>
  <section id="signin" aria-labelledby="signin-title">
    <h2 id="signin-title">Kirjaudu <span lang="en">/ Sign in</span></h2>
    <form id="signin-form">
      <label for="token">Tunniste <span lang="en">/ Staff token</span></label>
      <input id="token" name="token" type="password" autocomplete="current-password" required>
      <button type="submit">Kirjaudu <span lang="en">/ Sign in</span></button>
    </form>
  </section>
  <p id="problem" role="alert"></p>
  <section id="batches-section" aria-labelledby="batches-title" hidden>
    <h2 id="batches-title">Erät <span lang="en">/ Batches</span></h2>
    <div id="batches" aria-live="polite"></div>
  </section>
</main>
<script>
const $ = (id) => document.getElementById(id);
async function api(path, options) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, ...options });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}
function euros(cents) { return (cents / 100).toFixed(2) + ' €'; }
function element(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attributes || {})) node.setAttribute(k, v);
  return node;
}
function render(batch) {
  const article = element('article', undefined, { 'aria-labelledby': 'title-' + batch.batchId });
  article.append(element('h3', new Date(batch.createdAt).toLocaleString('fi-FI') + ' – ' + batch.total + ' kirjettä / letters', { id: 'title-' + batch.batchId }));
  const label = element('label', 'Lähetetty / Sent: ' + batch.processed + ' / ' + batch.total + ' (' + batch.percent + ' %)', { for: 'progress-' + batch.batchId });
  const bar = element('progress', batch.percent + ' %', { id: 'progress-' + batch.batchId, max: String(batch.total), value: String(batch.processed) });
  const channels = batch.byChannel || {};
  article.append(label, bar, element('p', 'Sähköisesti / Electronic: ' + (channels.electronic || 0) + ' · Paperilla / Paper: ' + (channels.paper || 0)
    + ' · Kustannus / Cost: ' + euros(batch.costCents) + ' (paperina / all paper ' + euros(batch.paperCostCents) + ')'));
  if (batch.report) article.append(element('a', 'Raportti (CSV) / Report (CSV)', { href: batch.report }));
  else article.append(element('p', 'Tila / Status: ' + batch.status));
  return article;
}
let timer;
async function load() {
  const { batches } = await api('/api/letter-batches');
  $('batches').replaceChildren(...(batches.length ? batches.map(render) : [element('p', 'Ei eriä / No batches yet.')]));
  clearTimeout(timer);
  if (batches.some((b) => !b.reportReady)) timer = setTimeout(() => load().catch((e) => { $('problem').textContent = e.message; }), 3000);
}
async function signedIn() { await load(); $('problem').textContent = ''; $('signin').hidden = true; $('batches-section').hidden = false; }
$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try { await api('/api/session', { method: 'POST', body: JSON.stringify({ token: $('token').value }) }); await signedIn(); }
  catch (error) { $('problem').textContent = error.message; }
});
signedIn().catch(() => undefined);
</script>
</body>
</html>`;
}
