// The public verification page: anyone pastes or uploads a credential, or
// follows the QR code of a certificate (/verify?id=UUID); the server checks
// signature, issuer, accreditation, status and dates and says why in words.
const form = document.getElementById('verify-form');
const area = document.getElementById('credential');
const file = document.getElementById('file');
const result = document.getElementById('result');

const labels = {
  signature: 'Signature',
  issuer: 'Issuer',
  accreditation: 'Accreditation of the issuer',
  status: 'Revocation and suspension',
  validity: 'Validity dates',
};

function show(report, credential) {
  result.replaceChildren();
  const box = document.createElement('div');
  box.className = report.verified ? 'verdict ok' : 'verdict bad';
  const h = document.createElement('h2');
  h.textContent = report.verified ? 'Verified' : 'Not verified';
  box.append(h);
  const p = document.createElement('p');
  p.textContent = report.summary || '';
  box.append(p);
  if (credential) {
    const what = document.createElement('p');
    const issuer = credential.issuer && (credential.issuer.name || credential.issuer.id || credential.issuer);
    what.textContent = `${credential.name || 'Credential'}, issued by ${issuer} on ${(credential.validFrom || '').slice(0, 10)}.`;
    box.append(what);
    // the holder's name, when the credential carries it in clear (OB 3.0 IdentityObject)
    const subject = [].concat(credential.credentialSubject || [])[0] || {};
    const named = [].concat(subject.identifier || []).find((i) => i && i.identityType === 'name' && i.hashed === false);
    if (named && typeof named.identityHash === 'string') {
      const who = document.createElement('p');
      who.textContent = `Awarded to ${named.identityHash}.`;
      box.append(who);
    }
  }
  const list = document.createElement('dl');
  for (const [key, check] of Object.entries(report.checks || {})) {
    const dt = document.createElement('dt');
    dt.textContent = `${labels[key] || key}: ${check.result}`;
    dt.className = check.result;
    const dd = document.createElement('dd');
    dd.textContent = check.message || '';
    list.append(dt, dd);
  }
  box.append(list);
  result.append(box);
}

function fail(message) {
  result.replaceChildren();
  const p = document.createElement('p');
  p.className = 'verdict bad';
  p.textContent = message;
  result.append(p);
}

async function verify(text) {
  let credential;
  try {
    credential = JSON.parse(text);
  } catch (e) {
    fail('This is not a credential: the text is not valid JSON.');
    return;
  }
  const response = await fetch('/api/v1/public/verify', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: text,
  });
  const body = await response.json();
  if (!response.ok) {
    fail(body.error ? body.error.message : `The server answered ${response.status}.`);
    return;
  }
  show(body, credential);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (area.value.trim()) verify(area.value);
  else fail('Paste a credential or choose its file first.');
});

file.addEventListener('change', async () => {
  if (!file.files.length) return;
  area.value = await file.files[0].text();
  verify(area.value);
});

const id = new URLSearchParams(location.search).get('id');
if (id) {
  fetch(`/api/v1/public/credentials/${encodeURIComponent(id)}`)
    .then(async (r) => {
      const body = await r.json();
      if (!r.ok) throw new Error(body.error ? body.error.message : 'unknown credential');
      area.value = JSON.stringify(body.credential, null, 2);
      verify(area.value);
    })
    .catch((e) => fail(`This link does not lead to a credential: ${e.message}.`));
}
