import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from './orm.ts';

/**
 * `create [name]`: writes a migration for the difference between the entities and the committed migrations.
 * `check`: exits 1 when the entities need a migration that is not committed (CI's drift gate).
 * Both run against a throwaway in-memory PGlite, so they need no server.
 */
const [command, name] = process.argv.slice(2);
const orm = await MikroORM.init(await ormOptions({ kind: 'pglite-memory' }));
try {
  await orm.migrator.up();
  if (command === 'create') {
    const result = await orm.migrator.create(undefined, false, false, name);
    console.log(result.fileName ? `created ${result.fileName}; add it to migrations/index.ts` : 'no changes: entities match the migrations');
  } else if (command === 'check') {
    if (await orm.migrator.checkSchema()) {
      console.error('the entities differ from the committed migrations: run npm run migration:create -w @tally/api');
      process.exitCode = 1;
    } else console.log('migrations are up to date with the entities');
  } else {
    console.error('usage: node src/db/migration-cli.ts create [name] | check');
    process.exitCode = 2;
  }
} finally {
  await orm.close(true);
}
