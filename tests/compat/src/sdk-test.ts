import { Flexprice } from '@flexprice/sdk';
import { HTTPClient } from '@flexprice/sdk/lib/http.js';
import { expect, inject, it } from 'vitest';

/**
 * FlexPrice's TypeScript SDK pointed at the Tally of this run (src/global-setup.ts), with every
 * operation call recorded so that a test's declared coverage is checked, not just claimed.
 */
const called = new Set<string>();

function recording(sdk: Flexprice): Flexprice {
  return new Proxy(sdk, {
    get(target, group, receiver) {
      const sub: unknown = Reflect.get(target, group, receiver);
      if (typeof group !== 'string' || typeof sub !== 'object' || sub === null) return sub;
      return new Proxy(sub, {
        get(subTarget, method) {
          const fn: unknown = Reflect.get(subTarget, method);
          if (typeof method !== 'string' || typeof fn !== 'function') return fn;
          return (...args: unknown[]) => {
            called.add(`${group}.${method}`);
            return fn.apply(subTarget, args);
          };
        },
      });
    },
  });
}

export const baseUrl = inject('tallyBaseUrl');
export const apiKey = inject('tallyApiKey');

let lastBody: Promise<string> = Promise.resolve('');
const httpClient = new HTTPClient().addHook('response', (res) => {
  lastBody = res.clone().text();
});

/**
 * The body of the last response the SDK received, as sent: for operations whose SDK type does not
 * describe FlexPrice's answer (the SDK then drops what it does not know).
 */
export const lastResponseBody = async (): Promise<any> => JSON.parse(await lastBody);

/** The SDK as a FlexPrice user constructs it: the server URL (ending in `/v1`) and the API key. */
export const flexprice = recording(new Flexprice({ serverURL: baseUrl, apiKeyAuth: apiKey, httpClient }));

/** Another client of the same Tally with another key (an environment's own key). */
export const flexpriceWithKey = (key: string) => recording(new Flexprice({ serverURL: baseUrl, apiKeyAuth: key, httpClient }));

/**
 * A test that exercises SDK operations (`group.method`, as `flexprice.group.method(…)` is called).
 * `src/coverage.ts` reads the `sdkTest('<title>', [<operations>]` calls of `test/*.test.ts` to build
 * docs/flexprice-sdk-coverage.md; here each listed operation must really be called by the test.
 */
export function sdkTest(title: string, operations: readonly string[], fn: () => Promise<void>): void {
  it(`${title} [${operations.join(', ')}]`, async () => {
    called.clear();
    await fn();
    expect([...operations].filter((op) => !called.has(op)), 'operations the test declares but never called').toEqual([]);
  });
}

/** A suffix that keeps this run's names and keys apart from other files' and runs'. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Calls `fn` and returns what it threw (the test fails if it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}
