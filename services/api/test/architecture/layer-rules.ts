import type { IForbiddenRuleType } from 'dependency-cruiser';

/**
 * What may import what in services/api/src (docs/development/layers.md explains why). Paths are
 * relative to services/api; dependency-cruiser resolves every import, type-only ones included.
 */
export const layerRules: IForbiddenRuleType[] = [
  {
    name: 'module-face-only',
    comment: "A module uses another module only through that module's index.ts.",
    severity: 'error',
    from: { path: '^src/modules/([^/]+)/' },
    to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
  },
  {
    name: 'billing-is-pure',
    comment: 'src/billing is the pure domain: it imports only itself, decimal.js and luxon (no ORM, pg, http, contract types, AppError, node built-ins).',
    severity: 'error',
    from: { path: '^src/billing/' },
    to: { pathNot: ['^src/billing/', 'node_modules/decimal\\.js/', 'node_modules/luxon/', 'node_modules/@types/luxon/'] },
  },
  {
    name: 'handlers-convert-only',
    comment: 'Handlers map the wire to use cases and back; they never touch the ORM, the database layer, entities or repositories.',
    severity: 'error',
    from: { path: '\\.handlers\\.ts$' },
    to: { path: ['node_modules/@mikro-orm/', 'node_modules/pg/', 'node_modules/kysely/', '^src/db/', '\\.entity\\.ts$', '\\.repo\\.ts$'] },
  },
  {
    name: 'only-repositories-query',
    comment: "Inside a module only its repository (and its entity definitions) import the ORM; services get units of work from src/db/transactions.ts.",
    severity: 'error',
    from: { path: '^src/modules/', pathNot: ['\\.repo\\.ts$', '\\.entity\\.ts$', '\\.test\\.ts$'] },
    to: { path: ['node_modules/@mikro-orm/', 'node_modules/pg/', 'node_modules/kysely/'] },
  },
  {
    name: 'no-import-circles',
    comment: 'No hand-written file imports itself back through others.',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
];
