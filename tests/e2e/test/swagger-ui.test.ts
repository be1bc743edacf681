import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../services/api/test/support/test-server.ts';
import { specPath } from '../../../tools/codegen/src/postman.ts';
import { shippedChromium, type ShippedChromium } from './support/chromium.ts';

const operations = Object.values(JSON.parse(readFileSync(specPath, 'utf8')).paths as Record<string, Record<string, { tags?: string[] }>>)
  .flatMap((item) => Object.entries(item))
  .filter(([key]) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(key))
  .map(([, operation]) => operation);
const operationCount = operations.length;
const tagCount = new Set(operations.map((o) => o.tags?.[0] ?? 'default')).size;

let server: TestServer;
let context: BrowserContext;
let page: Page;
let profileDir: string;
let browser: ShippedChromium;
const shotsDir = mkdtempSync(join(tmpdir(), 'tally-swagger-ui-'));

beforeAll(async () => {
  // The Chromium inside the @sparticuz/chromium package, unpacked on first use: `npm install` brings it.
  browser = shippedChromium();
  profileDir = mkdtempSync(join(tmpdir(), 'tally-chromium-profile-'));
  [server, context] = await Promise.all([
    startTestServer(),
    chromium.launchPersistentContext(profileDir, {
      executablePath: browser.executablePath,
      headless: true,
      chromiumSandbox: false,
      env: { ...process.env, ...browser.env },
      args: browser.args,
      viewport: { width: 1280, height: 1000 },
    }),
  ]);
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
});

// Screenshots are kept when a test fails (their folder is printed), removed otherwise.
let failed = false;
afterEach(({ task }) => {
  if (task.result?.state === 'fail' || task.result?.errors?.length) failed = true;
});

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  if (failed || process.env.TALLY_KEEP_SCREENSHOTS) console.log(`Swagger UI screenshots: ${shotsDir}`);
  else rmSync(shotsDir, { recursive: true, force: true });
});

describe('Swagger UI in headless Chromium', () => {
  it('runs the Chromium that npm install brought, not a system browser', async () => {
    expect(browser.executablePath).toBe(join(browser.dir, 'chromium'));
    expect(browser.executablePath.startsWith(tmpdir())).toBe(true);
    // @sparticuz/chromium's major version is its Chromium's (153.0.0 ships Chromium 153.0.x).
    const userAgent = (await page.evaluate('navigator.userAgent')) as string;
    expect(userAgent).toMatch(new RegExp(` HeadlessChrome/${browser.version.split('.')[0]}\\.\\d+\\.\\d+\\.\\d+ `));
  });

  it('redirects /swagger to /swagger/index.html and lists every operation of the spec', async () => {
    // Everything the page loads must come from this server: swagger-ui-dist, no CDN.
    const foreign: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) foreign.push(req.url());
    });
    const response = await page.goto(`${server.url}/swagger`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/swagger/index.html');

    // Tags start collapsed (see services/api/src/http/docs.ts): every tag is listed, and opening
    // each in turn shows its operations — every operation of the spec, once.
    const sections = page.locator('.opblock-tag-section');
    await sections.first().waitFor();
    expect(await sections.count()).toBe(tagCount);
    expect(await page.locator('.opblock').count()).toBe(0);
    const shown: string[] = [];
    for (const section of await sections.all()) {
      await section.locator('.opblock-tag').click();
      await section.locator('.opblock').first().waitFor();
      shown.push(...(await section.locator('.opblock').evaluateAll((ops) => ops.map((op) => op.id))));
      if (!(await section.getAttribute('class'))!.includes('is-open')) throw new Error('the tag did not open');
      await section.locator('.opblock-tag').click();
    }
    expect(new Set(shown).size).toBe(operationCount);
    expect(operationCount).toBeGreaterThanOrEqual(16);
    expect(shown).toContain('operations-Customers-createCustomer');
    expect(shown).toContain('operations-Secrets-listApiKeys');
    await page.locator('#operations-tag-Customers').click();
    await expect.poll(() => page.locator('#operations-Customers-createCustomer').isVisible()).toBe(true);
    expect(await page.getByText('Create customer', { exact: true }).isVisible()).toBe(true);
    await page.screenshot({ path: join(shotsDir, '1-operations.png'), fullPage: true });
    expect(foreign).toEqual([]);
  });

  it('authorizes with the API key through the Authorize dialog', async () => {
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.waitFor();
    const apiKeyAuth = dialog.locator('.auth-container').filter({ hasText: 'ApiKeyAuth' });
    await apiKeyAuth.locator('input').fill(server.apiKey);
    // The dialog's Authorize and Logout buttons are labelled for screen readers.
    await apiKeyAuth.getByRole('button', { name: 'Apply credentials' }).click();
    // Authorized: Logout in place of Authorize, and the key no longer editable.
    await apiKeyAuth.getByRole('button', { name: 'Remove authorization' }).waitFor();
    expect(await apiKeyAuth.locator('input').count()).toBe(0);
    await page.screenshot({ path: join(shotsDir, '2-authorized.png') });
    await dialog.locator('button.btn-done', { hasText: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('.auth-wrapper button.authorize.locked').count()).toBe(1);
  });

  it('creates a customer with "Try it out" on POST /customers: 201, and the customer exists', async () => {
    const externalId = `swagger-ui-${Date.now().toString(36)}`;
    const op = page.locator('#operations-Customers-createCustomer');
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    const body = op.locator('textarea.body-param__text');
    await body.fill(JSON.stringify({ external_id: externalId, name: 'Swagger UI Customer', email: 'swagger@acme.test' }, null, 2));
    await op.getByRole('button', { name: 'Execute' }).click();

    const live = op.locator('.live-responses-table');
    await live.waitFor();
    const status = live.locator('tbody .response .response-col_status').first();
    await expect.poll(() => status.innerText()).toMatch(/^\d{3}/);
    // From the request body down to the live response (the documented responses below are long).
    const [top, bottom, scrollY] = [await op.boundingBox(), await live.boundingBox(), (await page.evaluate('window.scrollY')) as number];
    const clip = { x: top!.x, y: top!.y + scrollY, width: top!.width, height: bottom!.y + bottom!.height - top!.y };
    await page.screenshot({ path: join(shotsDir, '3-try-it-out.png'), fullPage: true, clip });
    expect((await status.innerText()).trim()).toBe('201');
    const shown = JSON.parse(await live.locator('.response-col_description pre.microlight').first().innerText());
    expect(shown).toMatchObject({ external_id: externalId, name: 'Swagger UI Customer', status: 'published' });
    // The request Swagger UI made carried the key from the dialog.
    expect(await op.locator('.curl-command').innerText()).toContain(`x-api-key: ${server.apiKey}`);

    const stored = await server.api.get(`/v1/customers/external/${externalId}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ id: shown.id, external_id: externalId, email: 'swagger@acme.test' });
  });
});
