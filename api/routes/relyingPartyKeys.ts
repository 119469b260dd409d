import { type RouterContext } from '../apiDeps';
import { type ApiRoutes } from '../routeRegistry';

/**
 * Sinetti's public keys as a relying party (JWKS): what Suomi.fi e-Identification or a Finnish Trust Network broker
 * is given at registration (or fetches, as `jwks_uri`) to encrypt signers' ID tokens to. Only the public half; empty
 * when no decryption key is configured.
 */
export function relyingPartyKeyRoutes(routes: ApiRoutes, { config }: RouterContext): void {
  routes.add(
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      tag: 'signer',
      summary: "Sinetti's public encryption key for the identity provider's encrypted ID tokens (JWKS).",
      responses: { 200: '{ keys: [...] }' },
    },
    async (_input, _req, res) => {
      const encryption = config.strongIdentification.idTokenEncryption;
      // Providers fetch it now and then; an hour's cache keeps a rotated key from waiting long.
      res.set('Cache-Control', 'public, max-age=3600').json({ keys: encryption ? [encryption.publicJwk] : [] });
    },
  );
}
