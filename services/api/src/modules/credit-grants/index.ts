/** Credit grants, as the composition root uses them. */
export { CreditGrantService, type CreditGrantFaces } from './credit-grant.service.ts';
export { CreditGrantDueWork } from './credit-grant.due-work.ts';
export type { CreditGrant } from './credit-grant.entity.ts';
export { toCreditGrantResponse, type CreditGrantResponse } from './credit-grant.convert.ts';
