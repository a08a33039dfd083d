// An independent FHIR client (fhir-kit-client from npm) against a running Pgo.Api.
// Usage: node fhir-kit-check.mjs <fhirBase> [bearerToken]
// Prints one line per check and exits non-zero on the first failure.
import { Client } from 'fhir-kit-client';

const [baseUrl, bearerToken] = process.argv.slice(2);
if (!baseUrl) { console.error('usage: node fhir-kit-check.mjs <fhirBase> [bearerToken]'); process.exit(2); }
const client = new Client({ baseUrl, ...(bearerToken ? { bearerToken } : {}) });

function check(name, condition, detail) {
  if (!condition) { console.error(`FAIL ${name}: ${JSON.stringify(detail)}`); process.exit(1); }
  console.log(`ok ${name}`);
}

const capabilities = await client.capabilityStatement();
check('capabilities', capabilities.resourceType === 'CapabilityStatement' && capabilities.fhirVersion === '4.0.1', capabilities.fhirVersion);

const family = `KitClient${Date.now()}`;
const created = await client.create({ resourceType: 'Patient', body: { resourceType: 'Patient', name: [{ family, given: ['Lex'] }], birthDate: '2012-02-02' } });
check('create', created.resourceType === 'Patient' && created.id && created.meta?.versionId === '1', created);

const read = await client.read({ resourceType: 'Patient', id: created.id });
check('read', read.name?.[0]?.family === family, read);

const updated = await client.update({ resourceType: 'Patient', id: created.id, body: { ...read, gender: 'male' } });
check('update', updated.meta?.versionId === '2' && updated.gender === 'male', updated);

const version1 = await client.vread({ resourceType: 'Patient', id: created.id, version: '1' });
check('vread', version1.gender === undefined, version1);

const found = await client.search({ resourceType: 'Patient', searchParams: { family } });
check('search', found.resourceType === 'Bundle' && found.total === 1 && found.entry?.[0]?.resource?.id === created.id, found.total);

const transaction = await client.transaction({
  body: {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:5d0c4b3a-1f2e-4c8a-9b7d-000000000001', resource: { resourceType: 'Patient', name: [{ family: `${family}Tx` }] }, request: { method: 'POST', url: 'Patient' } },
      {
        resource: { resourceType: 'Goal', lifecycleStatus: 'active', description: { text: 'Zelf de bus nemen naar school' }, subject: { reference: 'urn:uuid:5d0c4b3a-1f2e-4c8a-9b7d-000000000001' } },
        request: { method: 'POST', url: 'Goal' },
      },
    ],
  },
});
const goal = transaction.entry?.[1]?.resource;
const patientId = transaction.entry?.[0]?.resource?.id;
check('transaction', transaction.type === 'transaction-response' && goal?.subject?.reference === `Patient/${patientId}`, transaction);

await client.delete({ resourceType: 'Patient', id: created.id });
try {
  await client.read({ resourceType: 'Patient', id: created.id });
  check('delete', false, 'read after delete succeeded');
} catch (e) {
  check('delete', e.response?.status === 410, e.response?.status);
}
console.log('all checks passed');
