/** The catalogue: plans and addons with what they sell and grant, for the plan and addon handlers. */
export { CatalogService } from './catalog.service.ts';
export { fromAddonCatalogRequest, fromPlanCatalogRequest, toAddonWithContents, toPlanWithContents } from './catalog.convert.ts';
