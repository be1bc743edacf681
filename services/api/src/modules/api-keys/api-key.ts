import { createHash } from 'node:crypto';
// Not the monotonic generator of ids: a key made in the same millisecond as its record's id
// must not share that id's random part.
import { ulid } from 'ulid';
import type { SecretType } from './secret.entity.ts';

const prefixes: Record<SecretType, string> = { private_key: 'sk', publishable_key: 'pk', integration: 'key' };

/** A new key in FlexPrice's format: `sk_<ULID>` (or `pk_`, `key_`). */
export const generateApiKey = (type: SecretType): string => `${prefixes[type]}_${ulid()}`;

/** Keys are random, so one SHA-256 is enough to store them safely and look them up by index. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** FlexPrice's display id: the first 5 and last 2 characters, e.g. `sk_01***XZ`. */
export const displayIdOf = (key: string): string => `${key.slice(0, 5)}***${key.slice(-2)}`;
