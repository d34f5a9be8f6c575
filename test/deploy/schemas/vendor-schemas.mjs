// Regenerates the vendored JSON schemas in this folder from the published packages (see README.md).
//   node test/deploy/schemas/vendor-schemas.mjs <dclint package dir> <kubernetes-validate schema dir>
// The Kubernetes schemas are cut down to the kinds deploy/kubernetes uses and the definitions they reach.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dclintDir, k8sDir] = process.argv.slice(2);
if (!dclintDir || !k8sDir) {
  console.error('usage: vendor-schemas.mjs <dclint package dir> <kubernetes-validate vX.Y.Z-local-strict dir>');
  process.exit(64);
}
const here = new URL('.', import.meta.url).pathname;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

writeFileSync(
  join(here, 'compose-spec.schema.json'),
  JSON.stringify(readJson(join(dclintDir, 'schemas/compose.schema.json')), null, 1) + '\n',
);

const kindFiles = [
  'configmap-v1.json',
  'deployment-apps-v1.json',
  'ingress-networking-v1.json',
  'networkpolicy-networking-v1.json',
  'poddisruptionbudget-policy-v1.json',
  'service-v1.json',
  'serviceaccount-v1.json',
];
const definitions = readJson(join(k8sDir, '_definitions.json'));
const kinds = kindFiles.map((file) => readJson(join(k8sDir, file)));
const refsIn = (node) => [...JSON.stringify(node).matchAll(/"\$ref":"[^"#]*#\/\$defs\/([^"]+)"/g)].map((m) => m[1]);
const reached = new Set();
const queue = kinds.flatMap(refsIn);
while (queue.length > 0) {
  const name = queue.pop();
  if (reached.has(name)) continue;
  reached.add(name);
  queue.push(...refsIn(definitions.$defs[name]));
}
const prunedDefs = Object.fromEntries([...reached].sort().map((name) => [name, definitions.$defs[name]]));
writeFileSync(
  join(here, 'kubernetes.schema.json'),
  JSON.stringify({ definitions: { ...definitions, $defs: prunedDefs }, kinds }, null, 1) + '\n',
);
console.log(`compose schema and ${kinds.length} Kubernetes kinds (${reached.size} definitions) written`);
