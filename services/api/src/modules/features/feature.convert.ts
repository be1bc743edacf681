import type { components } from '@tally/contract';
import { parseDecimal } from '../../decimal/decimal-input.ts';
import { invalidFields } from '../../errors/app-error.ts';
import { meterFromRequest, parseMeterFilters, type NewMeter } from '../meters/meter.convert.ts';
import type { MeterFilter } from '../meters/meter.entity.ts';
import { alertSettingsProblems, mergeAlertSettings, parseAlertSettings, type AlertSettingsChange } from './alert-settings.ts';
import type { FeatureType, ReportingUnit } from './feature.entity.ts';

type CreateRequest = components['schemas']['CreateFeatureRequest'];
type UpdateRequest = components['schemas']['UpdateFeatureRequest'];
type CloneRequest = components['schemas']['CloneFeatureRequest'];
type ReportingUnitRequest = components['schemas']['ReportingUnitRequest'];

type Errors = Record<string, string>;

/** A feature to create, validated. A metered one has exactly one of `meterId` / `meter`. */
export type NewFeature = {
  name: string;
  type: FeatureType;
  lookupKey: string | null;
  description: string | null;
  metadata: Record<string, string>;
  meterId?: string;
  meter?: NewMeter;
  unitSingular: string | null;
  unitPlural: string | null;
  reportingUnit: ReportingUnit | null;
  alertSettings: AlertSettingsChange | null;
};

/** Changes to a feature: `undefined` leaves a field as it is, `null` clears it. */
export type FeatureChanges = {
  name?: string;
  description?: string | null;
  metadata?: Record<string, string>;
  unitSingular?: string | null;
  unitPlural?: string | null;
  reportingUnit?: ReportingUnit;
  alertSettings?: AlertSettingsChange;
  filters?: MeterFilter[];
};

export type FeatureCopy = { name: string; lookupKey: string; description?: string | null; metadata?: Record<string, string> };

/** FlexPrice derives a missing lookup key from the name: lower case, other runs → `_`, trimmed. */
export function lookupKeyFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const emptyToNull = (s: string | undefined): string | null | undefined => (s === undefined ? undefined : s === '' ? null : s);

function parseReportingUnit(body: ReportingUnitRequest, errors: Errors): ReportingUnit {
  if (body.unit_singular.trim() === '') errors['reporting_unit.unit_singular'] = 'must not be blank';
  if (body.unit_plural.trim() === '') errors['reporting_unit.unit_plural'] = 'must not be blank';
  const rate = parseDecimal(body.conversion_rate, { positive: true });
  if ('problem' in rate) errors['reporting_unit.conversion_rate'] = rate.problem;
  return { unit_singular: body.unit_singular, unit_plural: body.unit_plural, conversion_rate: 'value' in rate ? rate.value : '' };
}

/** Unit names come in pairs: both set or both empty. Names the one that is missing. */
export function unitPairProblems(singular: string | null | undefined, plural: string | null | undefined): Errors {
  if (singular && !plural) return { unit_plural: 'is required when unit_singular is set (give both or neither)' };
  if (plural && !singular) return { unit_singular: 'is required when unit_plural is set (give both or neither)' };
  return {};
}

/** Groups are FlexPrice's; Tally has none yet, so only "no group" is accepted. */
function checkGroup(groupId: string | undefined, errors: Errors): void {
  if (groupId) errors.group_id = 'is not supported yet: Tally has no feature groups; leave it empty';
}

export function parseCreateFeature(body: CreateRequest): NewFeature {
  const errors: Errors = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  const meterId = body.meter_id || undefined;
  let meter: NewMeter | undefined;
  if (body.type === 'metered') {
    if (meterId === undefined && body.meter === undefined) errors.meter_id = 'or meter is required for a metered feature';
    if (meterId !== undefined && body.meter !== undefined) errors.meter = 'cannot be given with meter_id; give one of them';
    if (body.meter !== undefined) meter = meterFromRequest(body.meter, 'meter', errors);
  } else {
    if (meterId !== undefined) errors.meter_id = `only a metered feature has a meter, not a ${body.type} one`;
    if (body.meter !== undefined) errors.meter = `only a metered feature has a meter, not a ${body.type} one`;
  }
  const unitSingular = body.unit_singular || null;
  const unitPlural = body.unit_plural || null;
  Object.assign(errors, unitPairProblems(unitSingular, unitPlural));
  const reportingUnit = body.reporting_unit ? parseReportingUnit(body.reporting_unit, errors) : null;
  let alertSettings: AlertSettingsChange | null = null;
  if (body.alert_settings) {
    alertSettings = parseAlertSettings(body.alert_settings, 'alert_settings', errors);
    for (const [field, problem] of Object.entries(alertSettingsProblems(mergeAlertSettings(undefined, alertSettings), 'alert_settings'))) {
      errors[field] ??= problem;
    }
  }
  checkGroup(body.group_id, errors);
  if (Object.keys(errors).length) throw invalidFields(errors);
  return {
    name: body.name,
    type: body.type,
    lookupKey: body.lookup_key || lookupKeyFromName(body.name) || null,
    description: body.description || null,
    metadata: body.metadata ?? {},
    meterId,
    meter,
    unitSingular,
    unitPlural,
    reportingUnit,
    alertSettings,
  };
}

/** Field-level checks only; rules that need the stored feature (unit pairs, alert levels) are the service's. */
export function parseUpdateFeature(body: UpdateRequest): FeatureChanges {
  const errors: Errors = {};
  if (body.name !== undefined && body.name.trim() === '') errors.name = 'must not be blank';
  const changes: FeatureChanges = {
    name: body.name,
    description: emptyToNull(body.description),
    metadata: body.metadata,
    unitSingular: emptyToNull(body.unit_singular),
    unitPlural: emptyToNull(body.unit_plural),
  };
  if (body.reporting_unit) changes.reportingUnit = parseReportingUnit(body.reporting_unit, errors);
  if (body.alert_settings) changes.alertSettings = parseAlertSettings(body.alert_settings, 'alert_settings', errors);
  if (body.filters) changes.filters = parseMeterFilters(body.filters, 'filters', errors, { uniqueKeys: false });
  checkGroup(body.group_id, errors);
  if (Object.keys(errors).length) throw invalidFields(errors);
  return changes;
}

export function parseCloneFeature(body: CloneRequest): FeatureCopy {
  const errors: Errors = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  if (body.lookup_key.trim() === '') errors.lookup_key = 'must not be blank';
  if (Object.keys(errors).length) throw invalidFields(errors);
  return {
    name: body.name,
    lookupKey: body.lookup_key,
    description: body.description === undefined ? undefined : body.description || null,
    metadata: body.metadata,
  };
}
