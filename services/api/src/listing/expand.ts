import { invalidFields } from '../errors/app-error.ts';

/**
 * FlexPrice's `expand`: a comma list of tokens, a dot for nesting (`prices.meters`). Every token must
 * be on the endpoint's allow-list, else 400 naming `expand`. A nested token implies its parents, so
 * `prices.meters` alone embeds the prices with their meters. Returns every token given or implied.
 */
export function parseExpand(expand: string | undefined, allowed: readonly string[]): Set<string> {
  const tokens = (expand ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = tokens.filter((t) => !allowed.includes(t));
  if (unknown.length) {
    throw invalidFields({ expand: `cannot expand ${unknown.map((t) => `'${t}'`).join(', ')}; allowed: ${allowed.join(', ')}` });
  }
  const result = new Set<string>();
  for (const token of tokens) {
    const parts = token.split('.');
    for (let i = 1; i <= parts.length; i++) result.add(parts.slice(0, i).join('.'));
  }
  return result;
}
