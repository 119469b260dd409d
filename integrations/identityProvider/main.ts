import { listenLocalProvider } from './localProvider';

/** The development identity provider as a process of its own: `IDP_PORT=3900 tsx integrations/identityProvider/main.ts`. */
const port = Number(process.env.IDP_PORT ?? 3900);
listenLocalProvider(port)
  .then(() => {
    console.log(`development identity provider on http://127.0.0.1:${port}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
