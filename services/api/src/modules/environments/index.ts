/** Environments, as other modules may use them. */
export { EnvironmentProvisioning, EnvironmentReader, EnvironmentService, type ProductionGuard } from './environment.service.ts';
export type { Environment, EnvironmentType } from './environment.entity.ts';
