import { api, byId, errorMessage } from './staffApi';

/** The staff home page (/tyotila): rendered on the server; this only signs in and out. */

const problem = () => byId('problem', HTMLElement);

document.getElementById('signin-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  api('/api/session', { method: 'POST', body: JSON.stringify({ token: byId('token', HTMLInputElement).value }) })
    .then(() => location.reload())
    .catch((error: unknown) => (problem().textContent = errorMessage(error)));
});

document.getElementById('sign-out')?.addEventListener('click', () => {
  api('/api/session', { method: 'DELETE' })
    .then(() => location.assign('/tyotila'))
    .catch((error: unknown) => (problem().textContent = errorMessage(error)));
});
