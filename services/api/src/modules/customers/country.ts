const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** Region codes ICU knows that are not countries. */
const notCountries = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO']);

/** Whether `code` is an assigned ISO 3166-1 alpha-2 country code. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !notCountries.has(code) && regions.of(code) !== undefined;
}
