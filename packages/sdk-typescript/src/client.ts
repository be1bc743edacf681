import { apiErrorFromResponse, TallyError } from './errors.js';
import * as apis from './generated/apis/index.js';
import { BaseAPI, Configuration, type ConfigurationParameters, type Middleware } from './generated/runtime.js';
import { resolveOptions, type ResolvedOptions, type TallyOptions } from './options.js';
import { collectAll, type Page, type PageRequest, paginate } from './paginate.js';
import { createRetryingFetch } from './retrying-fetch.js';

/** Turns the last attempt's error status into a typed error; lets the SDK's own errors through unwrapped. */
const errorMiddleware: Middleware = {
  async post({ response }) {
    if (response.status < 200 || response.status >= 300) throw await apiErrorFromResponse(response);
    return undefined;
  },
  async onError({ error }) {
    if (error instanceof TallyError) throw error;
    return undefined;
  },
};

type ApiClasses = typeof apis;
type ApiClassName = { [K in keyof ApiClasses]: K extends `${string}Api` ? (ApiClasses[K] extends new (configuration: Configuration) => BaseAPI ? K : never) : never }[keyof ApiClasses];
/** `CustomersApi` → `customers`. */
type ApiProperty<K extends string> = K extends `${infer Resource}Api` ? Uncapitalize<Resource> : never;
/** One property per generated API class: `customers`, `secrets`, `environments`, `health`… */
export type TallyApis = { readonly [K in ApiClassName as ApiProperty<K>]: InstanceType<ApiClasses[K]> };

/** Generated API classes whose operations the spec serves from the API's root, outside /v1. */
const rootApis: ReadonlySet<string> = new Set(['HealthApi']);

// Declaration merging gives the class one typed property per generated API class, so a resource
// added to the spec appears on the client at the next `npm run generate`, with no edit here.
export interface Tally extends TallyApis {}

/**
 * The Tally API client: every generated operation class (`tally.customers`, `tally.secrets`…),
 * configured with the key, base URL, timeouts, retries, Idempotency-Keys and typed errors.
 *
 *   const tally = new Tally(); // TALLY_API_KEY, TALLY_BASE_URL
 *   const customer = await tally.customers.createCustomer({ createCustomerRequest: { external_id: 'c1', name: 'Acme' } });
 */
export class Tally {
  /** The generated runtime's configuration, for constructing generated API classes yourself. */
  readonly configuration: Configuration;
  readonly options: Readonly<ResolvedOptions>;

  constructor(options: TallyOptions = {}) {
    this.options = resolveOptions(options);
    const parameters: ConfigurationParameters = {
      basePath: this.options.baseUrl,
      apiKey: this.options.apiKey,
      headers: this.options.headers,
      fetchApi: createRetryingFetch(this.options),
      middleware: [errorMiddleware],
    };
    this.configuration = new Configuration(parameters);
    const rootConfiguration = new Configuration({ ...parameters, basePath: this.options.baseUrl.replace(/\/v1$/, '') });
    for (const [name, value] of Object.entries(apis)) {
      if (!name.endsWith('Api') || typeof value !== 'function' || !(value.prototype instanceof BaseAPI)) continue;
      const ApiClass = value as new (configuration: Configuration) => BaseAPI;
      const property = name.charAt(0).toLowerCase() + name.slice(1, -'Api'.length);
      Object.defineProperty(this, property, {
        value: new ApiClass(rootApis.has(name) ? rootConfiguration : this.configuration),
        enumerable: true,
      });
    }
  }

  /** Every item of every page of a list or search; see {@link paginate}. */
  paginate<T>(fetchPage: (page: PageRequest) => Promise<Page<T>>, options?: { limit?: number; offset?: number }): AsyncGenerator<T, void, undefined> {
    return paginate(fetchPage, options);
  }

  /** Every item of every page of a list or search, in one array. */
  collectAll<T>(fetchPage: (page: PageRequest) => Promise<Page<T>>, options?: { limit?: number; offset?: number }): Promise<T[]> {
    return collectAll(fetchPage, options);
  }
}
