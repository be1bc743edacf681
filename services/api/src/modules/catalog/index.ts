/** The catalogue: plans and addons with what they sell and grant, for the plan and addon handlers. */
export { CatalogService } from './catalog.service.ts';
export { fromAddonExpand, fromPlanExpand, toAddonWithContents, toPlanWithContents } from './catalog.convert.ts';
