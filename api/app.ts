import express, { type Express } from 'express';
import { createServices } from '../application/services';
import { type ApiDeps, type RouterContext } from './apiDeps';
import { authenticateStaff } from './auth';
import { errorHandler, notFound } from './httpErrors';
import { ApiRoutes, openApiDocument } from './routeRegistry';
import { contractRoutes } from './routes/contracts';
import { hrPageRoutes } from './routes/hrPages';
import { documentRoutes } from './routes/documents';
import { healthRoutes } from './routes/health';
import { letterRoutes } from './routes/letters';
import { minutesRoutes } from './routes/minutes';
import { identificationCallbackRoute } from './routes/identificationCallback';
import { minutesPageRoutes } from './routes/minutesPages';
import { processRoutes } from './routes/processes';
import { codecCors, codecRoutes } from './routes/codec';
import { sessionRoutes } from './routes/session';
import { signInRoutes } from './routes/signIn';
import { apiKeyRoutes } from './routes/apiKeys';
import { relyingPartyKeyRoutes } from './routes/relyingPartyKeys';
import { createStaffAccess, type StaffAccess } from './staffAccess';
import { adminRoutes } from './routes/admin';
import { workspaceRoutes } from './routes/workspace';
import { auditChainRoutes } from './routes/auditChain';
import { applicationRoutes } from './routes/applications';
import { loadPayloadCodec } from '../common/payloadKeys';
import { createApiMetrics } from '../observability/metrics';
import { signerPageRoutes } from './routes/signerPages';
import { validationRoutes } from './routes/validation';
import { webhookRoutes } from './routes/webhooks';
import { suomifiMessagesAdminRoutes } from './routes/suomifiMessagesAdmin';
import { archiveRoutes } from './routes/archive';
import { addWebhooksToOpenApi } from '../integrations/webhooks/openApiWebhooks';
import { clientAssets } from './assets/clientAssets';
import { noStoreForPrivatePages, securityHeaders } from './securityHeaders';
import { rateLimiters } from './rateLimits';
import { metricsAccess } from './metricsAccess';
import { sameOriginForChanges } from './originCheck';

/** Every route of the API, declared once: mounted by createApp, listed in /openapi.json and walked by the registry's test. */
export function apiRoutes(deps: ApiDeps, access: StaffAccess = createStaffAccess(deps.config)): ApiRoutes {
  const routes = new ApiRoutes();
  const context: RouterContext = { services: createServices(deps), config: deps.config, access };
  healthRoutes(routes, deps);
  sessionRoutes(routes, context);
  signInRoutes(routes, context, access);
  relyingPartyKeyRoutes(routes, context);
  apiKeyRoutes(routes, context);
  codecRoutes(routes, { ...deps, codec: loadPayloadCodec(deps.config) });
  adminRoutes(routes, context);
  workspaceRoutes(routes, context);
  documentRoutes(routes, context);
  processRoutes(routes, context);
  contractRoutes(routes, context);
  letterRoutes(routes, context);
  hrPageRoutes(routes, context);
  const signerIdentification = signerPageRoutes(routes, context);
  minutesRoutes(routes, context);
  const minutesIdentification = minutesPageRoutes(routes, context);
  identificationCallbackRoute(routes, context, { s: signerIdentification, m: minutesIdentification });
  applicationRoutes(routes, context);
  webhookRoutes(routes, deps);
  suomifiMessagesAdminRoutes(routes, deps);
  archiveRoutes(routes, deps);
  validationRoutes(routes, deps);
  auditChainRoutes(routes, deps);
  return routes;
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // The client's address (rate limits, signing evidence) comes from X-Forwarded-For only behind a configured proxy.
  app.set('trust proxy', deps.config.http.trustProxy);
  // The error pages name the organisation (api/errorPages.ts).
  app.locals.organization = deps.config.organization;
  app.use(securityHeaders(new URL(deps.config.identity.oidc.issuer).origin), noStoreForPrivatePages());
  const assets = clientAssets();
  app.use(assets.router);
  assets.warmUp().catch(() => undefined); // built again on the first request if this fails
  app.use('/codec', codecCors(deps.config.temporalUiOrigins));
  // Forged cross-site requests are refused before anything is looked up or read.
  app.use(sameOriginForChanges(deps.config.publicUrl, deps.config.temporalUiOrigins));
  const access = createStaffAccess(deps.config);
  app.use(authenticateStaff(deps.config, access.cookies, access.apiKeys));
  // Limits run before any body is read, so a refused burst costs no parsing.
  const limits = rateLimiters(deps.config);
  app.use(limits.signIn);
  app.use('/codec', limits.codec);
  app.get('/health/deep', limits.deepHealth);
  app.post('/api/forms/:formId/applications', limits.forms);
  app.post('/s/:token/code', limits.codes);
  app.use(['/s/', '/m/', '/hakemus/', '/api/applicant/'], limits.links);

  const routes = apiRoutes(deps, access);

  // Applications carry their attachments (each at most 5 MB, base64) in the JSON.
  app.use(['/api/forms', '/api/applicant'], express.json({ limit: '16mb' }));
  app.use(express.json({ limit: '1mb' }), routes.router);
  const openapi = openApiDocument(routes.specs, { title: 'Sinetti API', version: '0.1.0' });
  addWebhooksToOpenApi(openapi);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  const metrics = createApiMetrics(deps.temporal);
  app.get('/metrics', metricsAccess(deps.config.http.metricsToken), async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
