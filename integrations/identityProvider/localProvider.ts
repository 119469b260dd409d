import http from 'node:http';
import express from 'express';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { DEVELOPMENT_CLIENT, DEVELOPMENT_USERS, type DevelopmentUser } from './developmentUsers';
import { idTokenEncryption } from '../../verification/idTokenDecryptionKey';
import { DEVELOPMENT_ID_TOKEN_DECRYPTION_KEY } from './developmentIdTokenKey';
import {
  ENCRYPTING_SIGNER_CLIENT,
  IDENTITY_CODE_CLAIM,
  LOA_HIGH,
  LOA_SUBSTANTIAL,
  SIGNER_CALLBACK_PATH,
  SIGNER_CLIENT,
  TEST_PERSONS,
} from './testPersons';

/**
 * The embedded default's OpenID Provider (the `oidc-provider` package):
 * authorization code with PKCE, the development users behind a password
 * form, their roles in the ID token's `roles` claim, and RP-initiated
 * logout. Sinetti talks to it exactly as to Entra ID or Keycloak.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid: string, failed: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in — development identity provider</title></head>
<body><main><h1>Sign in</h1><p>Sinetti's development identity provider. The users and passwords are listed in the README.</p>
${failed ? '<p role="alert">Wrong username or password.</p>' : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main></body></html>`;
}

function findUser(username: string): DevelopmentUser | undefined {
  return DEVELOPMENT_USERS.find((u) => u.username === username);
}

/** Suomi.fi's test identification, simulated: pick a test person, or cancel. */
function identificationPage(uid: string): string {
  const persons = TEST_PERSONS.map(
    (p) =>
      `<li><button type="submit" name="person" value="${escapeHtml(p.id)}">${escapeHtml(p.name)} (${escapeHtml(p.identityCode)}, ${
        p.acr === LOA_HIGH ? 'high' : 'substantial'
      })</button></li>`,
  ).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Identify — Suomi.fi e-Identification (development simulation)</title></head>
<body><main><h1>Identify yourself</h1><p>A development simulation of Suomi.fi e-Identification. Choose a test person; the README lists them.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/identify"><ul>${persons}</ul>
<button type="submit" name="cancel" value="yes">Cancel identification</button></form></main></body></html>`;
}

const PERSON_PREFIX = 'person:';

const SIGNER_CLIENT_IDS = [SIGNER_CLIENT.clientId, ENCRYPTING_SIGNER_CLIENT.clientId];

/** The public key Sinetti registered for its encrypted ID tokens, as a municipality gives Suomi.fi its JWKS. */
function signerEncryptionKey() {
  const { alg, enc } = ENCRYPTING_SIGNER_CLIENT.idTokenEncryption;
  return idTokenEncryption(DEVELOPMENT_ID_TOKEN_DECRYPTION_KEY, alg, enc, 'The development ID token key').publicJwk;
}

export function createLocalProvider(issuer: string): { provider: Provider; app: express.Express } {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEVELOPMENT_CLIENT.clientId,
        client_secret: DEVELOPMENT_CLIENT.clientSecret,
        // A native client may come back to any loopback port: the development API and each test's API alike.
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1:3000/auth/callback'],
        post_logout_redirect_uris: ['http://127.0.0.1:3000/auth/signed-out'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        client_id: SIGNER_CLIENT.clientId,
        client_secret: SIGNER_CLIENT.clientSecret,
        application_type: 'native',
        redirect_uris: [`http://127.0.0.1:3000${SIGNER_CALLBACK_PATH}`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        // Suomi.fi e-Identification as the Finnish Trust Network has it: the ID token signed, then encrypted to Sinetti's key.
        client_id: ENCRYPTING_SIGNER_CLIENT.clientId,
        client_secret: ENCRYPTING_SIGNER_CLIENT.clientSecret,
        application_type: 'native',
        redirect_uris: [`http://127.0.0.1:3000${SIGNER_CALLBACK_PATH}`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_encrypted_response_alg: ENCRYPTING_SIGNER_CLIENT.idTokenEncryption.alg,
        id_token_encrypted_response_enc: ENCRYPTING_SIGNER_CLIENT.idTokenEncryption.enc,
        jwks: { keys: [signerEncryptionKey()] },
      },
    ],
    acrValues: [LOA_SUBSTANTIAL, LOA_HIGH],
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'roles', 'personal_identity_code'],
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email'],
      roles: ['roles'],
      personal_identity_code: [IDENTITY_CODE_CLAIM],
      acr: null,
      sid: null,
      auth_time: null,
    },
    // The roles in the ID token itself, as Entra ID puts its groups and app roles there.
    conformIdTokenClaims: false,
    cookies: { keys: ['sinetti-development-identity-provider'] },
    features: {
      devInteractions: { enabled: false },
      // Only clients registered with an encryption key get encrypted tokens; the others' stay as they were.
      encryption: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Signing out of Sinetti signs out here too, without a second question.
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head><body>${form.replace(
            '</form>',
            '<input type="hidden" name="logout" value="yes"></form>',
          )}<script>document.forms[0].submit()</script></body></html>`;
        },
      },
    },
    async findAccount(_ctx, sub) {
      const person = sub.startsWith(PERSON_PREFIX) ? TEST_PERSONS.find((p) => `${PERSON_PREFIX}${p.id}` === sub) : undefined;
      if (person) return { accountId: sub, claims: () => ({ sub, name: person.name, [IDENTITY_CODE_CLAIM]: person.identityCode }) };
      const user = findUser(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: user.name, email: user.email, roles: user.roles }) };
    },
    // Sinetti is the only client and the organisation's own: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile email roles personal_identity_code');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });

  const app = express();
  app.disable('x-powered-by');
  const form = express.urlencoded({ extended: false });
  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'consent') {
        // Sinetti is the organisation's own client: its consent is given (a native client is always asked).
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
        grant!.addOIDCScope('openid profile email roles personal_identity_code');
        const grantId = await grant!.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      if (SIGNER_CLIENT_IDS.includes(String(details.params.client_id))) res.type('html').send(identificationPage(details.uid));
      else res.type('html').send(loginPage(details.uid, false));
    } catch (error) {
      next(error);
    }
  });
  app.post('/interaction/:uid/login', form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const user = findUser(String(req.body.username ?? ''));
      if (!user || user.password !== String(req.body.password ?? '')) {
        res.status(401).type('html').send(loginPage(details.uid, true));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
    } catch (error) {
      next(error);
    }
  });
  app.post('/interaction/:uid/identify', form, async (req, res, next) => {
    try {
      await provider.interactionDetails(req, res);
      const answer = req.body as { person?: string; cancel?: string };
      const person = TEST_PERSONS.find((p) => p.id === String(answer.person ?? ''));
      if (answer.cancel === 'yes' || !person) {
        const result = { error: 'access_denied', error_description: 'The person cancelled the identification.' };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        return;
      }
      const login = { accountId: `${PERSON_PREFIX}${person.id}`, acr: person.acr, amr: [person.method] };
      await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
    } catch (error) {
      next(error);
    }
  });
  app.use(provider.callback());
  return { provider, app };
}

export function listenLocalProvider(port: number, host = '127.0.0.1'): Promise<http.Server> {
  const { app } = createLocalProvider(`http://${host}:${port}`);
  const server = http.createServer(app);
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
