import Router from '@koa/router';
import type { Middleware } from 'koa';
import { AppError } from '../errors/app-error.ts';

/**
 * FlexPrice's `/v1` routes that Tally does not serve yet (taken from FlexPrice's router, spec-hidden
 * routes included). Each answers 501 `not_implemented` naming itself, instead of 404 or, worse, being
 * read as a neighbouring `{id}` route: without this `GET /v1/customers/usage` would be "customer usage
 * not found". They are not Tally operations, so they are not in the OpenAPI spec; when an issue
 * implements one, its row moves from here to the spec (a test refuses a row that is both).
 *
 * A path Tally serves with other methods has no row (FlexPrice's `GET /v1/events`, a raw-event list,
 * is Tally's `POST /v1/events` path): there the method is what is wrong, and Tally answers 405 with
 * `Allow`, as for any other method a path does not take.
 *
 * `public` rows are those FlexPrice serves without an API key (sign-up, SSO, inbound payment-provider
 * webhooks, the customer portal's session-token API); every other row wants a valid key first, as a
 * Tally operation would.
 */
export type NotImplementedRoute = { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; public?: true };

const get = (path: string): NotImplementedRoute => ({ method: 'GET', path });
const post = (path: string): NotImplementedRoute => ({ method: 'POST', path });
const put = (path: string): NotImplementedRoute => ({ method: 'PUT', path });
const del = (path: string): NotImplementedRoute => ({ method: 'DELETE', path });
const open = (route: NotImplementedRoute): NotImplementedRoute => ({ ...route, public: true });

export const notImplementedRoutes: readonly NotImplementedRoute[] = [
  // Accounts, users and sign-in
  open(post('/v1/auth/signup')),
  open(post('/v1/auth/login')),
  open(get('/v1/auth/saml/{tenant}/metadata')),
  open(get('/v1/auth/saml/{tenant}/login')),
  open(post('/v1/auth/saml/{tenant}/acs')),
  get('/v1/users/me'),
  put('/v1/users/me'),
  post('/v1/users'),
  post('/v1/users/search'),
  post('/v1/users/chat/verify'),
  put('/v1/users/{id}'),
  put('/v1/users/{id}/roles'),
  del('/v1/users/{id}'),
  get('/v1/rbac/roles'),
  get('/v1/rbac/roles/{id}'),
  put('/v1/tenants/update'),
  get('/v1/tenants/billing'),
  get('/v1/tenants/{id}'),
  post('/v1/environments/{id}/clone'),

  // Events and usage beyond ingestion, look-up, listing and aggregation
  post('/v1/events/huggingface-billing'),
  get('/v1/events/monitoring'),
  post('/v1/events/raw/bulk'),
  post('/v1/events/raw/reprocess/all'),
  post('/v1/events/raw/reprocess/pending'),
  post('/v1/meter-usage/query'),
  post('/v1/meter-usage/analytics'),
  post('/v1/meter-usage/detailed-analytics'),
  post('/v1/usage-records/search'),

  // Customers: look-ups not built yet
  get('/v1/customers/portal/{external_id}'),

  // Catalogue: groups, plan sync, coupon associations
  post('/v1/plans/{id}/sync/subscriptions'),
  post('/v1/plans/{id}/sync/subscriptions/v2'),
  post('/v1/groups'),
  post('/v1/groups/search'),
  get('/v1/groups/{id}'),
  del('/v1/groups/{id}'),
  get('/v1/coupons/associations'),
  get('/v1/coupons/associations/{id}'),

  // Subscriptions
  post('/v1/subscriptions/temporal/schedule-update-billing-period'),
  post('/v1/subscriptions/temporal/schedule-draft-finalization'),
  post('/v1/subscriptions/temporal/{subscription_id}/trigger-workflow'),
  post('/v1/subscriptions/temporal/{subscription_id}/draft-and-compute'),

  // Invoices, payments, taxes, checkout
  post('/v1/invoices/internal/preview'),
  post('/v1/invoices/temporal/{invoice_id}/finalize'),
  post('/v1/invoices/{id}/compute'),
  post('/v1/invoices/{id}/payment/attempt'),
  get('/v1/invoices/{id}/pdf'),
  post('/v1/invoices/{id}/recalculate'),
  post('/v1/invoices/{id}/comms/trigger'),
  post('/v1/invoices/{id}/webhook/trigger'),
  get('/v1/payments/customers/{id}/methods'),
  post('/v1/payments/customers/{id}/setup/intent'),
  post('/v1/checkout/sessions'),
  get('/v1/checkout/sessions/{id}'),
  del('/v1/checkout/sessions/{id}'),

  // Tasks, costs, alerts, analytics
  get('/v1/tasks'),
  post('/v1/tasks/scheduled'),
  get('/v1/tasks/scheduled'),
  get('/v1/tasks/scheduled/{id}'),
  put('/v1/tasks/scheduled/{id}'),
  del('/v1/tasks/scheduled/{id}'),
  post('/v1/tasks/scheduled/{id}/run'),
  get('/v1/tasks/{id}'),
  put('/v1/tasks/{id}/status'),
  get('/v1/tasks/{id}/download'),
  post('/v1/costs'),
  post('/v1/costs/search'),
  get('/v1/costs/active'),
  post('/v1/costs/analytics'),
  get('/v1/costs/{id}'),
  put('/v1/costs/{id}'),
  del('/v1/costs/{id}'),
  post('/v1/alerts/search'),
  post('/v1/alerts/setting'),
  post('/v1/alerts/setting/search'),
  get('/v1/alerts/setting/{id}'),
  put('/v1/alerts/setting/{id}'),
  del('/v1/alerts/setting/{id}'),
  post('/v1/dashboard/revenues'),
  post('/v1/dashboard/revenue-dashboard'),
  post('/v1/workflows/search'),
  post('/v1/workflows/batch'),
  get('/v1/workflows/{workflow_id}/{run_id}'),
  get('/v1/workflows/{workflow_id}/{run_id}/summary'),
  get('/v1/workflows/{workflow_id}/{run_id}/timeline'),

  // Integrations, outbound webhooks, onboarding helpers
  post('/v1/connections'),
  get('/v1/connections'),
  post('/v1/connections/search'),
  get('/v1/connections/{id}'),
  put('/v1/connections/{id}'),
  del('/v1/connections/{id}'),
  post('/v1/integrations/link'),
  del('/v1/integrations/link'),
  post('/v1/integrations/sync'),
  get('/v1/integrations/mappings'),
  get('/v1/integrations/config'),
  post('/v1/oauth/init'),
  post('/v1/oauth/complete'),
  post('/v1/marketplace/agreements'),
  post('/v1/ai/pricing/parse-gemini'),
  post('/v1/portal/onboarding/events'),
  post('/v1/portal/onboarding/setup'),
  get('/v1/webhooks/dashboard'),
  ...['stripe', 'hubspot', 'razorpay', 'chargebee', 'quickbooks', 'nomod', 'moyasar', 'paddle', 'zoho_books', 'whop'].map((provider) =>
    open(post(`/v1/webhooks/${provider}/{tenant_id}/{environment_id}`)),
  ),

  // The customer portal (a session token, not an API key)
  ...[
    get('/v1/customer/portal/info'),
    put('/v1/customer/portal/info'),
    get('/v1/customer/portal/usage'),
    get('/v1/customer/portal/config'),
    post('/v1/customer/portal/subscriptions'),
    get('/v1/customer/portal/subscriptions/{id}'),
    post('/v1/customer/portal/invoices'),
    get('/v1/customer/portal/invoices/{id}'),
    get('/v1/customer/portal/invoices/{id}/pdf'),
    post('/v1/customer/portal/wallets'),
    get('/v1/customer/portal/wallets/{id}'),
    get('/v1/customer/portal/wallets/{id}/transactions'),
    post('/v1/customer/portal/analytics/revenue'),
    post('/v1/customer/portal/analytics/cost'),
  ].map(open),
];

const paramCount = (route: NotImplementedRoute) => route.path.split('{').length - 1;

/** `/customers/{id}/usage` → `/customers/:id/usage` (@koa/router's syntax). */
export const routerPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * A router answering 501 on every row, literal paths before parameterised ones. Mount it before the
 * contract router: Koa tries routers in order, so `/customers/usage` is answered here and never
 * reaches `/customers/{id}`.
 */
export function notImplementedRouter(authenticate: Middleware): Router {
  const router = new Router();
  for (const route of [...notImplementedRoutes].sort((a, b) => paramCount(a) - paramCount(b))) {
    const answer: Middleware = async () => {
      throw new AppError('not_implemented', `${route.method} ${route.path} is not implemented in Tally yet`, {
        method: route.method,
        path: route.path,
      });
    };
    router.register(routerPath(route.path), [route.method], route.public ? [answer] : [authenticate, answer]);
  }
  return router;
}
