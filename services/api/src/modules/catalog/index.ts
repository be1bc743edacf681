/** The catalogue: plans and addons with what they sell and grant, for the plan and addon handlers. */
export { CatalogService } from './catalog.service.ts';
export { fullContents, type ContentsRequest } from './catalog-contents.ts';
export type { PlanView } from './catalog.convert.ts';
export { fromAddonCatalogRequest, fromPlanCatalogRequest, toAddonWithContents, toPlanWithContents } from './catalog.convert.ts';
