import { MikroORM, type Configuration, type IDatabaseDriver, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.ts';
import { migrationsList } from './migrations/index.ts';

/** Where the data lives: a PostgreSQL server, a PGlite directory, or a PGlite in memory (tests). */
export type DatabaseTarget =
  | { kind: 'postgresql'; url: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

type DriverCtor = new (config: Configuration) => IDatabaseDriver;

async function driverFor(target: DatabaseTarget): Promise<DriverCtor> {
  if (target.kind === 'postgresql') return (await import('@mikro-orm/postgresql')).PostgreSqlDriver as DriverCtor;
  return (await import('@mikro-orm/pglite')).PgliteDriver as DriverCtor;
}

function connectionOptions(target: DatabaseTarget): Partial<Options> {
  switch (target.kind) {
    case 'postgresql':
      return { clientUrl: target.url, pool: { min: 0, max: 10 } };
    case 'pglite':
      // Without driverOptions.dataDir, dbName is the cluster directory itself.
      return { dbName: target.dataDir };
    case 'pglite-memory':
      // A factory, because the ORM deep-clones plain driverOptions and a cloned Blob no longer reads.
      return { dbName: 'memory://', driverOptions: (() => (target.loadDataDir ? { loadDataDir: target.loadDataDir } : {})) as never };
  }
}

/** The ORM configuration shared by the server, the tests and the migration tools. */
export async function ormOptions(target: DatabaseTarget): Promise<Partial<Options>> {
  return {
    driver: await driverFor(target),
    ...connectionOptions(target),
    entities,
    extensions: [Migrator],
    migrations: {
      migrationsList,
      path: new URL('./migrations', import.meta.url).pathname,
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    // Triggers and SQL functions (the meter usage hours') are written by hand in their migration, not
    // declared on entities: the drift check compares tables, columns and indexes, and leaves them be.
    schemaGenerator: { ignoreTriggers: true, ignoreRoutines: true },
    allowGlobalContext: false,
    debug: false,
    ignoreUndefinedInQuery: true,
    forceUtcTimezone: true,
  };
}

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openOrm(target: DatabaseTarget, options: { migrate?: boolean } = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(await ormOptions(target));
  if (options.migrate !== false) await orm.migrator.up();
  return orm;
}
