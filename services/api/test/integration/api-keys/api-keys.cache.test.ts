import { expect, it } from 'vitest';
import { useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();

it('revokes a key deleted through the API on the very next request', async () => {
  const created = await server.api.post('/v1/secrets/api/keys', { name: 'short', type: 'private_key' });
  const key = server.as(created.body.api_key);
  expect((await key.get('/v1/customers')).status).toBe(200);
  expect((await server.api.delete(`/v1/secrets/api/keys/${created.body.secret.id}`)).status).toBe(204);
  expect((await key.get('/v1/customers')).status).toBe(401);
});

it('notices a key revoked by another process sharing the database within 2 seconds', async () => {
  server.clock.freeze(server.clock.now());
  const created = await server.api.post('/v1/secrets/api/keys', { name: 'elsewhere', type: 'private_key' });
  const key = server.as(created.body.api_key);
  expect((await key.get('/v1/customers')).status).toBe(200);
  // What another instance's delete leaves in the shared table.
  await server.orm.em.fork().getConnection().execute(`update secrets set status = 'deleted' where id = ?`, [created.body.secret.id]);
  server.clock.advance(1_999);
  expect((await key.get('/v1/customers')).status).toBe(200);
  server.clock.advance(1);
  expect((await key.get('/v1/customers')).status).toBe(401);
});
