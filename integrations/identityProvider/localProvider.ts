import http from 'node:http';
import express from 'express';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { DEVELOPMENT_CLIENT, DEVELOPMENT_USERS, type DevelopmentUser } from './developmentUsers';

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
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'roles'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], roles: ['roles'] },
    // The roles in the ID token itself, as Entra ID puts its groups and app roles there.
    conformIdTokenClaims: false,
    cookies: { keys: ['sinetti-development-identity-provider'] },
    features: {
      devInteractions: { enabled: false },
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
      const user = findUser(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: user.name, email: user.email, roles: user.roles }) };
    },
    // Sinetti is the only client and the organisation's own: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile email roles');
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
        grant!.addOIDCScope('openid profile email roles');
        const grantId = await grant!.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      res.type('html').send(loginPage(details.uid, false));
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
  app.use(provider.callback());
  return { provider, app };
}

export function listenLocalProvider(port: number, host = '127.0.0.1'): Promise<http.Server> {
  const { app } = createLocalProvider(`http://${host}:${port}`);
  const server = http.createServer(app);
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
