const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * Codes ICU names that ISO 3166-1 does not assign to a country: groupings (EU, UN), exceptionally
 * reserved codes (UK, AC, CP, DG, EA, IC, TA, FX), withdrawn countries (SU, YU, CS, AN, BU, TP, ZR, DD, NT),
 * and user-assigned ranges (AA, QM–QZ, XA–XZ, ZZ).
 */
const notCountries = new Set(['EU', 'EZ', 'UN', 'UK', 'AC', 'CP', 'CQ', 'DG', 'EA', 'IC', 'TA', 'FX', 'SU', 'YU', 'CS', 'AN', 'BU', 'TP', 'ZR', 'DD', 'NT', 'AA', 'ZZ']);
const userAssigned = /^(Q[M-Z]|X[A-Z])$/;

/** Whether `code` is an assigned ISO 3166-1 alpha-2 country code (upper case). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !notCountries.has(code) && !userAssigned.test(code) && regions.of(code) !== undefined;
}
