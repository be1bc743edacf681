import type { components } from '@tally/contract';
import type { Environment } from './environment.entity.ts';

export type EnvironmentResponse = components['schemas']['EnvironmentResponse'];

/** FlexPrice formats environment timestamps to the second. */
const toSecond = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function toEnvironmentResponse(e: Environment): EnvironmentResponse {
  return { id: e.id, name: e.name, type: e.type, created_at: toSecond(e.createdAt), updated_at: toSecond(e.updatedAt) };
}
