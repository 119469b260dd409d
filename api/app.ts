import express, { Express } from 'express';
import { ApiDeps } from './apiDeps';
import { authenticateStaff } from './auth';
import { errorHandler, notFound } from './httpErrors';
import { ApiRoutes, openApiDocument } from './routeRegistry';
import { contractRoutes } from './routes/contracts';
import { hrPageRoutes } from './routes/hrPages';
import { documentRoutes } from './routes/documents';
import { healthRoutes } from './routes/health';
import { letterRoutes } from './routes/letters';
import { minutesRoutes } from './routes/minutes';
import { minutesPageRoutes } from './routes/minutesPages';
import { processRoutes } from './routes/processes';
import { codecCors, codecRoutes } from './routes/codec';
import { sessionRoutes } from './routes/session';
import { adminRoutes } from './routes/admin';
import { auditChainRoutes } from './routes/auditChain';
import { applicationRoutes } from './routes/applications';
import { loadPayloadCodec } from '../common/payloadKeys';
import { createApiMetrics } from '../observability/metrics';
import { signerPageRoutes } from './routes/signerPages';

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use('/codec', codecCors(deps.config.temporalUiOrigins));
  app.use(authenticateStaff(deps.config.staffTokens));

  const routes = new ApiRoutes();
  healthRoutes(routes, deps);
  sessionRoutes(routes, deps);
  codecRoutes(routes, { ...deps, codec: loadPayloadCodec(deps.config) });
  adminRoutes(routes, deps);
  auditChainRoutes(routes, deps);
  documentRoutes(routes, deps);
  processRoutes(routes, deps);
  contractRoutes(routes, deps);
  letterRoutes(routes, deps);
  hrPageRoutes(routes, deps);
  signerPageRoutes(routes, deps);
  minutesRoutes(routes, deps);
  minutesPageRoutes(routes, deps);
  applicationRoutes(routes, deps);

  // Applications carry their attachments (each at most 5 MB, base64) in the JSON.
  app.use(['/api/forms', '/api/applicant'], express.json({ limit: '16mb' }));
  app.use(express.json({ limit: '1mb' }), routes.router);
  const openapi = openApiDocument(routes.specs, { title: 'Sinetti API', version: '0.1.0' });
  app.get('/openapi.json', (_req, res) => { res.json(openapi); });
  const metrics = createApiMetrics(deps.temporal);
  app.get('/metrics', async (_req, res) => { res.type(metrics.contentType).send(await metrics.metrics()); });
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
