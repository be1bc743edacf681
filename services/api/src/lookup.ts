/** Rows by their id. */
export const byId = <T extends { id: string }>(rows: T[]): Map<string, T> => new Map(rows.map((r) => [r.id, r]));

/** The ids given, once each, without the unset ones. */
export const distinctIds = (ids: (string | null | undefined)[]): string[] => [...new Set(ids.filter((id): id is string => !!id))];
