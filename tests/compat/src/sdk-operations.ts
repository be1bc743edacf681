import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One operation of a FlexPrice SDK, as its user calls it, and the request it sends. */
export type SdkOperation = {
  sdk: 'typescript' | 'python';
  /** `<group>.<method>`: `flexprice.customers.createCustomer(…)`, `client.customers.create_customer(…)`. */
  operation: string;
  method: string;
  /** The path as the SDK writes it, relative to the server URL (which ends in `/v1`). */
  path: string;
  operationId: string;
};

/** A client-side helper that sends no request of its own but calls other operations. */
export type SdkHelper = { sdk: 'typescript'; helper: string; calls: string[] };

const workspace = join(dirname(fileURLToPath(import.meta.url)), '..');

const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)];

/** The installed `@flexprice/sdk`: its version and the directory of its TypeScript sources. */
export function typescriptSdk(): { version: string; src: string } {
  const manifest = createRequire(join(workspace, 'package.json')).resolve('@flexprice/sdk/package.json');
  return { version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version, src: join(dirname(manifest), 'src') };
}

/**
 * Every operation of the `Flexprice` client, read from the installed package's sources: the client's
 * getters (`get customers(): Customers`), each group class's methods (`createCustomer` → the function
 * it wraps) and each function's request (`method`, `pathToFunc("/customers")`, `operationID`).
 */
export function typescriptOperations(): { operations: SdkOperation[]; helpers: SdkHelper[] } {
  const { src } = typescriptSdk();
  const read = (...parts: string[]) => readFileSync(join(src, ...parts), 'utf8');
  const client = read('sdk', 'sdk.ts');
  const classFiles = new Map(all(client, /import \{ (\w+) \} from "\.\/([\w-]+)\.js";/g).map((m) => [m[1], m[2]]));
  const operations: SdkOperation[] = [];
  for (const [, group, className] of all(client, /get (\w+)\(\): (\w+) \{/g)) {
    const classSource = read('sdk', `${classFiles.get(className)}.ts`);
    const funcFiles = new Map(all(classSource, /import \{ (\w+) \} from "\.\.\/funcs\/([\w-]+)\.js";/g).map((m) => [m[1], m[2]]));
    for (const [, method, func] of all(classSource, /\n {2}async (\w+)\([\s\S]*?unwrapAsync\((\w+)\(/g)) {
      const funcSource = read('funcs', `${funcFiles.get(func)}.ts`);
      const field = (pattern: RegExp) => {
        const found = pattern.exec(funcSource)?.[1];
        if (!found) throw new Error(`${func}: no ${pattern} in its source`);
        return found;
      };
      operations.push({
        sdk: 'typescript',
        operation: `${group}.${method}`,
        method: field(/method: "(\w+)"/),
        path: field(/pathToFunc\("([^"]+)"\)/),
        operationId: field(/operationID: "([^"]+)"/),
      });
    }
  }
  // The hand-written dashboard helper exported beside the client.
  const portal = read('sdk', 'customer-portal.ts');
  const helpers: SdkHelper[] = all(portal, /\n {2}async (\w+)\(/g).map(([, name]) => ({
    sdk: 'typescript',
    helper: `CustomerPortal.${name}`,
    calls: [...new Set(all(portal, /this\.sdk\.(\w+)\.(\w+)\(/g).map((m) => `${m[1]}.${m[2]}`))].sort(),
  }));
  return { operations, helpers };
}

/** Every operation of the installed `flexprice` Python package (`python/sdk_operations.py`, in the workspace's venv). */
export function pythonOperations(): { version: string; operations: SdkOperation[] } {
  const out = execFileSync(join(workspace, '.venv', 'bin', 'python'), [join(workspace, 'python', 'sdk_operations.py')], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as { version: string; operations: Omit<SdkOperation, 'sdk'>[] };
  return { version: parsed.version, operations: parsed.operations.map((op) => ({ sdk: 'python', ...op })) };
}
