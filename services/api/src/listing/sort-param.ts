import { invalidFields } from '../errors/app-error.ts';
import type { SearchableFields, SortCondition } from './filter-conditions.ts';

/**
 * A GET list's single `sort` query parameter as a sort array, in the direction of `order`;
 * an unknown field is refused by the parameter's own name (not as `sort[0].field`).
 */
export function sortParam(
  field: string | undefined,
  order: 'asc' | 'desc' | undefined,
  fields: SearchableFields,
  entity: string,
): SortCondition[] | undefined {
  if (field === undefined) return undefined;
  if (!Object.hasOwn(fields, field)) {
    throw invalidFields({ sort: `unknown field name '${field}' in ${entity} sort; allowed: ${Object.keys(fields).join(', ')}` });
  }
  return [{ field, direction: order ?? 'desc' }];
}
