// Runnable against a local Tally: `npm start` at the repository root, then
//   export TALLY_API_KEY=$(cat .data/bootstrap-api-key)
//   npm run build -w @tally/sdk && node packages/sdk-typescript/examples/quickstart.ts
import { Tally, TallyNotFoundError } from '@tally/sdk';

const tally = new Tally(); // TALLY_API_KEY; TALLY_BASE_URL or http://localhost:8080/v1

const externalId = `quickstart-${Date.now()}`;
const customer = await tally.customers.createCustomer({
  createCustomerRequest: { external_id: externalId, name: 'Acme Corp', email: 'billing@acme.test' },
});
console.log(`created ${customer.id} (${customer.external_id})`);

await tally.customers.updateCustomerById({ id: customer.id, updateCustomerRequest: { timezone: 'Europe/Berlin' } });

let count = 0;
for await (const c of tally.paginate((page) => tally.customers.listCustomers(page), { limit: 50 })) {
  count += c.status === 'published' ? 1 : 0;
}
console.log(`${count} customers in this environment`);

await tally.customers.deleteCustomer({ id: customer.id });
try {
  await tally.customers.getCustomer({ id: customer.id });
} catch (err) {
  if (!(err instanceof TallyNotFoundError)) throw err;
  console.log(`deleted: ${err.code} (HTTP ${err.http_status_code}, request ${err.request_id})`);
}
