import express, { Express } from 'express';
import { ApiDeps } from './apiDeps';
import { authenticateStaff } from './auth';
import { errorHandler, notFound } from './httpErrors';
import { ApiRoutes, openApiDocument } from './routeRegistry';
import { contractRoutes } from './routes/contracts';
import { documentRoutes } from './routes/documents';
import { healthRoutes } from './routes/health';
import { processRoutes } from './routes/processes';
import { signerPageRoutes } from './routes/signerPages';

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(authenticateStaff(deps.config.staffTokens));

  const routes = new ApiRoutes();
  healthRoutes(routes, deps);
  documentRoutes(routes, deps);
  processRoutes(routes, deps);
  contractRoutes(routes, deps);
  signerPageRoutes(routes, deps);

  app.use(express.json({ limit: '1mb' }), routes.router);
  const openapi = openApiDocument(routes.specs, { title: 'Sinetti API', version: '0.1.0' });
  app.get('/openapi.json', (_req, res) => { res.json(openapi); });
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
