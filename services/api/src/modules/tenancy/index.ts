/** Tenancy: the first start's tenant, environments and key. */
export { bootstrapTenancy, type BootstrapResult } from './bootstrap.ts';
