/**
 * The Chromium the Swagger UI test drives: the headless build shipped inside the npm package
 * @sparticuz/chromium (a devDependency of this workspace), so `npm install` is all a machine needs.
 * No system browser (Debian's /usr/bin/chromium is never used) and no browser download.
 *
 * The package keeps the browser brotli-compressed (chromium.br, ~67 MB; fonts.tar.br with Open Sans;
 * swiftshader.tar.br). Its executablePath() inflates them into os.tmpdir() itself, which on a shared
 * machine collides between users (the binary is written mode 0700) and between versions. So the
 * package's own inflation runs in a child process whose TMPDIR is a fresh staging folder, which is
 * then renamed into place: `<tmpdir>/tally-chromium-<version>-<uid>/`, one per package version and
 * user, reused by later runs (about 2 s and 210 MB the first time). A run that dies half-way leaves
 * only a staging folder, never a half-written browser in the place later runs look.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ShippedChromium = {
  /** The browser binary, inside `dir`. */
  executablePath: string;
  /** The folder it was unpacked to. */
  dir: string;
  /** The package's version; its major is Chromium's (153.0.0 ships Chromium 153). */
  version: string;
  /** Environment for the browser process: fontconfig reads only the fonts shipped with the package. */
  env: Record<string, string>;
  /** Switches for playwright-core's launch: headless shell, no sandbox (root cannot have one; see below). */
  args: string[];
};

const complete = '.tally-complete';

export function shippedChromium(): ShippedChromium {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@sparticuz/chromium');
  const version = (JSON.parse(readFileSync(join(dirname(entry), '../package.json'), 'utf8')) as { version: string }).version;
  const uid = process.getuid?.() ?? 0;
  const dir = join(tmpdir(), `tally-chromium-${version}-${uid}`);
  if (!isReady(dir, uid)) unpack(entry, dir, uid);
  const executablePath = join(dir, 'chromium');
  return {
    executablePath,
    dir,
    version,
    env: { FONTCONFIG_FILE: join(dir, 'tally-fonts.conf') },
    // Chromium refuses to run as root with its sandbox, and CI runs as root. The build carries no
    // setuid sandbox helper either, so every user runs it without one: it only ever loads pages of
    // the test's own server on 127.0.0.1.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  };
}

/** True when `dir` is a complete unpacked browser that belongs to this user. */
function isReady(dir: string, uid: number): boolean {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return false;
  }
  // Somebody else's folder (or a symlink) at our name is never used: another user could have put
  // a different binary there.
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} exists but is not a folder that only this user (uid ${uid}) can write: remove it, or set TMPDIR to another folder`);
  }
  if (existsSync(join(dir, complete)) && existsSync(join(dir, 'chromium')) && existsSync(join(dir, 'tally-fonts.conf'))) return true;
  // Partly cleaned by a tmp reaper: unpack again.
  rmSync(dir, { recursive: true, force: true });
  return false;
}

function unpack(entry: string, dir: string, uid: number): void {
  const staging = mkdtempSync(`${dir}.unpacking-`);
  try {
    // The package's own executablePath() inflates chromium.br, fonts.tar.br and swiftshader.tar.br into
    // os.tmpdir(): here the staging folder.
    const script = `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)}); console.log(await chromium.executablePath());`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
      encoding: 'utf8',
    });
    if (child.status !== 0 || child.stdout.trim() !== join(staging, 'chromium')) {
      throw new Error(`@sparticuz/chromium could not unpack its browser into ${staging} (exit ${child.status ?? child.error?.message}): ${child.stderr || child.stdout}`);
    }
    // The package's fonts.conf names its Lambda folders; this one names where the fonts are now,
    // and only them, so pages render the same whatever fonts the machine has (or none).
    writeFileSync(
      join(staging, 'tally-fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${join(dir, 'fonts', 'fonts')}</dir>`,
        `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    writeFileSync(join(staging, complete), '');
    try {
      renameSync(staging, dir);
    } catch (err) {
      // Another test process of this user finished first: use its copy.
      if (!isReady(dir, uid)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
