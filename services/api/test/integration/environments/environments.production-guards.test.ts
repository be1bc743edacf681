import { describe, expect, it } from 'vitest';
import { createTestClock, useTestServer } from '../../support/fixtures.ts';

// TALLY_WEBHOOK_ALLOW_PRIVATE lets the test name a loopback receiver; the rule under test is the scheme.
const server = useTestServer({ TALLY_WEBHOOK_ALLOW_PRIVATE: '1' });

describe('a development environment becoming a production one', () => {
  it('is refused while it has http webhook endpoints or test clocks, naming type, and changes nothing', async () => {
    const env = server.bootstrap.defaultEnvironmentId;
    const typeOf = async () => (await server.api.get(`/v1/environments/${env}`)).body.type;
    const endpoint = (await server.api.post('/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/hook' })).body;
    const clock = await createTestClock(server.api);

    const withEndpoint = await server.api.put(`/v1/environments/${env}`, { type: 'production' });
    expect([withEndpoint.status, withEndpoint.body.code, withEndpoint.body.details]).toEqual([
      400,
      'validation_error',
      { type: 'cannot become production: 1 webhook endpoint(s) deliver over http; production endpoints must use https (change or delete them first)' },
    ]);
    expect(await typeOf()).toBe('development');

    expect((await server.api.delete(`/v1/webhooks/endpoints/${endpoint.id}`)).status).toBeLessThan(300);
    const withClock = await server.api.put(`/v1/environments/${env}`, { type: 'production' });
    expect([withClock.status, withClock.body.details]).toEqual([400, { type: 'cannot become production: it has 1 test clock(s), which live in development environments only (delete them first)' }]);
    expect(await typeOf()).toBe('development');

    expect((await server.api.delete(`/v1/test_clocks/${clock.id}`)).status).toBe(204);
    await server.api.post('/v1/webhooks/endpoints', { url: 'https://hooks.example.com/tally' });
    const res = await server.api.put(`/v1/environments/${env}`, { type: 'production' });
    expect([res.status, res.body.type]).toEqual([200, 'production']);
  });
});
