/**
 * Everything generated from the spec, in order: spec/dist/openapi.json and the contract
 * (generate.ts), the TypeScript, Python and Go SDK cores (generate-sdks.ts), the Postman collection
 * and environment (postman.ts); then spec/dist/codegen-stamp.json (stamp.ts).
 *
 *   node src/generate-all.ts            regenerate only when spec/ or tools/codegen changed, or a
 *                                       generated file differs, since the stamp was written (turbo's
 *                                       `generate` task, which `test` and `typecheck` depend on)
 *   node src/generate-all.ts --always   regenerate regardless (`npm run generate`, CI's drift check)
 *
 * Without Java or Maven the SDKs are skipped (TALLY_REQUIRE_SDK_GEN=1 makes that a failure) and the
 * stamp is left as it was: it only ever records a generation that produced everything.
 */
import { relative } from 'node:path';
import { repoRoot } from './paths.ts';
import { currentStamp, readStamp, stampPath, writeStamp } from './stamp.ts';

const stampFile = relative(repoRoot, stampPath);
const always = process.argv.includes('--always');

if (!always) {
  const recorded = readStamp();
  const now = currentStamp();
  if (recorded?.inputs === now.inputs && recorded.outputs === now.outputs) {
    console.log(`generated code is current (spec/, tools/codegen and the generated files match ${stampFile}); nothing to regenerate`);
    process.exit(0);
  }
  const why = !recorded
    ? `${stampFile} is missing`
    : recorded.inputs !== now.inputs
      ? 'spec/ or tools/codegen changed since the last generation'
      : 'generated files differ from the last generation';
  console.log(`${why}: regenerating`);
}

// Loaded only now: the converters take longer to import than the check above takes to run.
const [{ generateContract }, { generateSdks, SdkGenerationRequired }, { writePostman }] = await Promise.all([
  import('./generate.ts'),
  import('./generate-sdks.ts'),
  import('./postman.ts'),
]);
try {
  await generateContract();
  const sdks = generateSdks();
  await writePostman();
  console.log('wrote tests/e2e/postman/tally.postman_collection.json and tally.postman_environment.json');
  if (sdks) {
    console.log(`SDK generation skipped: ${sdks.skipped}; committed SDKs are used as they are`);
    console.log(`${stampFile} left as it was (it records only a generation that included the SDKs): run \`npm run generate\` once Java and Maven are installed`);
  } else {
    writeStamp(currentStamp());
  }
} catch (err) {
  if (!(err instanceof SdkGenerationRequired)) throw err;
  console.error(err.message);
  process.exit(1);
}
