// The public verification page: anyone pastes or uploads a credential, or
// follows the QR code of a certificate (/verify?id=UUID); the server checks
// signature, issuer, accreditation, status and dates and says why in words.
const form = document.getElementById('verify-form');
const area = document.getElementById('credential');
const file = document.getElementById('file');
const result = document.getElementById('result');
const holderForm = document.getElementById('holder-form');
const holderEmail = document.getElementById('holder-email');
const holderResult = document.getElementById('holder-result');
let shown = null;   // the credential on screen, for the e-mail check

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
    } else {
      const who = document.createElement('p');
      who.textContent = "This credential does not carry its holder's name; check the e-mail address below.";
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
  shown = credential || null;
  holderForm.hidden = !shown;
  holderResult.textContent = '';
  holderResult.className = '';
}

function fail(message) {
  shown = null;
  holderForm.hidden = true;
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

// The holder's e-mail against the credential's salted hash (the server says
// match / no match / not recorded, in words).
holderForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  holderResult.className = '';
  if (!holderEmail.value.trim()) {
    holderResult.textContent = 'Type the e-mail address first.';
    return;
  }
  const response = await fetch('/api/v1/public/verify-holder', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ credential: shown, email: holderEmail.value }),
  });
  const body = await response.json();
  if (!response.ok) {
    holderResult.textContent = body.error ? body.error.message : `The server answered ${response.status}.`;
    return;
  }
  holderResult.className = body.result === 'match' ? 'verdict ok' : 'verdict bad';
  holderResult.textContent = body.message;
});

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
