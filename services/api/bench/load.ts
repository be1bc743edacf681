import autocannon from 'autocannon';

/** A JSON call to the API that must answer `expect`; the error names the route and the answer. */
export async function callApi(url: string, apiKey: string, method: string, path: string, body: unknown, expect: number[]): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expect.includes(response.status)) {
    const hint = response.status === 404 || response.status === 405 ? ' (is this endpoint implemented yet?)' : '';
    throw new Error(`${method} ${path} answered ${response.status}${hint}: ${text.slice(0, 500)}`);
  }
  return text ? JSON.parse(text) : undefined;
}

export type BulkResult = { requests: number; events: number; seconds: number; eventsPerSecond: number };

/**
 * Sends ready-made `POST /v1/events/bulk` bodies from `clients` concurrent clients, each taking
 * the next body as soon as its previous request is answered. Every answer must be 202.
 */
export async function sendBulk(url: string, apiKey: string, bodies: string[], eventsPerBody: number[], clients: number): Promise<BulkResult> {
  let next = 0;
  const client = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const response = await fetch(`${url}/v1/events/bulk`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body });
      const text = await response.text();
      if (response.status !== 202) throw new Error(`POST /v1/events/bulk answered ${response.status}: ${text.slice(0, 500)}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  const events = eventsPerBody.reduce((a, b) => a + b, 0);
  return { requests: bodies.length, events, seconds: round(seconds, 3), eventsPerSecond: Math.round(events / seconds) };
}

export type HammerResult = {
  requests: number;
  acknowledged: number;
  seconds: number;
  req_per_s: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number; mean: number };
  non_2xx: number;
  errors: number;
  timeouts: number;
  status_codes: Record<string, number>;
};

/**
 * `connections` keep-alive connections posting single events for `seconds`, through autocannon's
 * programmatic API. Each request gets a unique event_id from `setupRequest`, so every request is
 * a new event and none is deduplicated away.
 */
export async function hammerSingleEvents(options: { url: string; apiKey: string; connections: number; seconds: number; idPrefix: string }): Promise<HammerResult> {
  let n = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/v1/events',
        headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
        setupRequest: (request) => {
          const i = n++;
          request.body = JSON.stringify({
            event_id: `${options.idPrefix}_${i}`,
            event_name: 'api_request',
            external_customer_id: `cust_${i % 500}`,
            source: 'bench',
            properties: { tokens: 1 + (i % 4000), model: 'm-small', region: 'eu-west-1' },
          });
          return request;
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat?.count ?? 0;
  const acknowledged = result['2xx'];
  return {
    requests: result.requests.total,
    acknowledged,
    seconds: result.duration,
    req_per_s: Math.round(acknowledged / result.duration),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean, 2) },
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status_codes: statusCodes,
  };
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
