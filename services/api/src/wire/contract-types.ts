import type { components, operations } from '@tally/contract';

/** The spec's schemas (request and response bodies), by name. */
export type Schemas = components['schemas'];

/** The query parameters of one of the spec's operations (a list's filters and paging). */
export type QueryParams<Operation extends keyof operations> = operations[Operation]['parameters']['query'];
