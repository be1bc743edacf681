/**
 * Deterministic benchmark events. The same generator feeds the HTTP bodies and the COPY text, so
 * the API and its baseline always load identical rows, and the usage data set knows the exact
 * answers of the queries it is built for.
 */

/** What every event row carries besides its own fields: the API key's tenant and environment. */
export type Scope = { tenantId: string; environmentId: string };

export type BenchEvent = {
  id: string;
  externalCustomerId: string;
  /** Set only where the server itself would set it (an existing customer); else NULL. */
  customerId: string | null;
  eventName: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  properties: { tokens: number; user_id: string; concurrency: number; model: string };
};

export const source = 'bench';
export const eventNames = ['api_request', 'llm_tokens', 'storage_gb_hours', 'compute_seconds'];
const models = ['m-small', 'm-medium', 'm-large', 'm-xl'];

/** mulberry32: small, fast, seedable; Math.random would make runs differ. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The columns COPY writes; ingested_at keeps its default (now()), as on the HTTP path. */
export const copyColumns = ['tenant_id', 'environment_id', 'id', 'external_customer_id', 'customer_id', 'event_name', 'source', 'timestamp', 'properties'];

const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let cachedDay = NaN;
let cachedPrefix = '';

/** toISOString() without a Date per row: the data sets format tens of millions of timestamps. */
export function isoUtc(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${cachedPrefix}${pad2[h]}:${pad2[m]}:${pad2[sec]}.${pad3[rest - sec * 1000]}Z`;
}

/** The properties as JSON; every value is generated here from safe alphabets, so no escaping is needed. */
function propertiesJson(p: BenchEvent['properties']): string {
  return `{"tokens":${p.tokens},"user_id":"${p.user_id}","concurrency":${p.concurrency},"model":"${p.model}"}`;
}

const copySpecial = /[\\\t\n\r"]/;

/** One line of COPY's text format (tab-separated, \N for NULL). */
export function copyLine(scope: Scope, e: BenchEvent): string {
  // Generated values never hold COPY's (or JSON's) special characters; say so loudly if one ever does.
  if (copySpecial.test(`${scope.tenantId} ${scope.environmentId} ${e.id} ${e.externalCustomerId} ${e.customerId} ${e.eventName} ${e.properties.user_id} ${e.properties.model}`)) {
    throw new Error(`bench data would need escaping: ${JSON.stringify(e)}`);
  }
  return (
    `${scope.tenantId}\t${scope.environmentId}\t${e.id}\t${e.externalCustomerId}\t${e.customerId ?? '\\N'}\t` +
    `${e.eventName}\t${source}\t${isoUtc(e.timestamp)}\t${propertiesJson(e.properties)}\n`
  );
}

/** The FlexPrice IngestEventRequest for the same event. */
export function ingestRequest(e: BenchEvent): Record<string, unknown> {
  return {
    event_id: e.id,
    event_name: e.eventName,
    external_customer_id: e.externalCustomerId,
    timestamp: isoUtc(e.timestamp),
    source,
    properties: e.properties,
  };
}

/**
 * Events for the ingestion comparison: `count` events named `<prefix>_<n>`, one a second from
 * 2024-01-01, spread over 1,000 customers and four event names.
 */
export function* ingestionEvents(prefix: string, count: number, seed = 1): Generator<BenchEvent> {
  const random = prng(seed);
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    yield {
      id: `${prefix}_${i}`,
      externalCustomerId: `cust_${Math.floor(random() * 1000)}`,
      customerId: null,
      eventName: eventNames[Math.floor(random() * eventNames.length)],
      timestamp: start + i * 1000,
      properties: {
        tokens: 1 + Math.floor(random() * 4000),
        user_id: `u_${Math.floor(random() * 200)}`,
        concurrency: 1 + Math.floor(random() * 64),
        model: models[Math.floor(random() * models.length)],
      },
    };
  }
}

export type UsageDatasetSpec = {
  /** Rows in the whole table. */
  total: number;
  /** Rows of the measured customer-month: one customer, one event name, one month. */
  hot: number;
  /** Other customers, sharing the rest. */
  customers: number;
  year: number;
  /** 0-based month holding the hot rows. */
  month: number;
  hotCustomer: string;
  /** The hot customer's `customer_id` as the server would store it (null when it stores none). */
  hotCustomerId: string | null;
  hotEvent: string;
};

export function defaultUsageSpec(total: number, hot: number): UsageDatasetSpec {
  return { total, hot, customers: 5000, year: 2025, month: 5, hotCustomer: 'cust_bench_hot', hotCustomerId: null, hotEvent: 'llm_tokens' };
}

/** The measured window: the hot month, half-open, in UTC. */
export function usageWindow(spec: UsageDatasetSpec): { start: Date; end: Date } {
  return { start: new Date(Date.UTC(spec.year, spec.month, 1)), end: new Date(Date.UTC(spec.year, spec.month + 1, 1)) };
}

/** What the usage queries must answer, computed while the rows are generated. */
export type ExpectedUsage = { sumTokens: number; uniqueUsers: number; hourlyMaxConcurrencySum: number; matching: number };

/**
 * The usage table: `total` rows in timestamp order (as they would arrive) over the twelve months
 * of `year`. Every month gets an equal share of background rows from `customers` customers and
 * four event names; the hot month also gets exactly `hot` rows of the hot customer and event,
 * evenly interleaved with the background, so a query for them reads pages spread over the month.
 */
export function* usageEvents(spec: UsageDatasetSpec, expected?: ExpectedUsage, seed = 7): Generator<BenchEvent> {
  const random = prng(seed);
  const background = spec.total - spec.hot;
  if (background < 0) throw new Error(`the table (${spec.total}) must hold at least the ${spec.hot} hot events`);
  const users = new Set<string>();
  const hourMax = new Map<number, number>();
  let seq = 0;
  for (let m = 0; m < 12; m++) {
    const bg = Math.floor((background * (m + 1)) / 12) - Math.floor((background * m) / 12);
    const hot = m === spec.month ? spec.hot : 0;
    const slots = bg + hot;
    const start = Date.UTC(spec.year, m, 1);
    const length = Date.UTC(spec.year, m + 1, 1) - start;
    for (let i = 0; i < slots; i++) {
      // Bresenham: exactly `hot` of the `slots` are hot, evenly spread.
      const isHot = hot > 0 && Math.floor(((i + 1) * hot) / slots) > Math.floor((i * hot) / slots);
      const timestamp = start + Math.floor(((i + 0.5) * length) / slots);
      const properties = {
        tokens: 1 + Math.floor(random() * 4000),
        user_id: `u_${Math.floor(random() * (isHot ? 5000 : 200))}`,
        concurrency: 1 + Math.floor(random() * 64),
        model: models[Math.floor(random() * models.length)],
      };
      const id = `ev_${(seq++).toString(36).padStart(8, '0')}`;
      if (isHot) {
        if (expected) {
          expected.matching++;
          expected.sumTokens += properties.tokens;
          users.add(properties.user_id);
          const hour = Math.floor(timestamp / 3_600_000);
          hourMax.set(hour, Math.max(hourMax.get(hour) ?? 0, properties.concurrency));
        }
        yield { id, externalCustomerId: spec.hotCustomer, customerId: spec.hotCustomerId, eventName: spec.hotEvent, timestamp, properties };
      } else {
        const customer = Math.floor(random() * spec.customers);
        yield {
          id,
          externalCustomerId: `cust_${customer.toString().padStart(5, '0')}`,
          customerId: null,
          eventName: eventNames[Math.floor(random() * eventNames.length)],
          timestamp,
          properties,
        };
      }
    }
  }
  if (expected) {
    expected.uniqueUsers = users.size;
    expected.hourlyMaxConcurrencySum = [...hourMax.values()].reduce((a, b) => a + b, 0);
  }
}

export function newExpectedUsage(): ExpectedUsage {
  return { sumTokens: 0, uniqueUsers: 0, hourlyMaxConcurrencySum: 0, matching: 0 };
}
