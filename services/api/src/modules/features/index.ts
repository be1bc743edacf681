/** Features, as other modules may use them. */
import { FeatureRepo, type FeatureReader } from './feature.repo.ts';

export { FeatureService, type FeatureDeletionGuard } from './feature.service.ts';
export type { Feature, FeatureType } from './feature.entity.ts';
export type { FeatureReader } from './feature.repo.ts';
export { toFeatureResponse, type FeatureResponse } from './feature.convert.ts';

/** Reads features inside the caller's unit of work. */
export const featureReader: FeatureReader = new FeatureRepo();
