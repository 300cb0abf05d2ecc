/** The consent page every OAuth emulator shows: who asks, for what, as whom; approve or deny. */
export function consentPage(input: {
  providerTitle: string;
  clientId: string;
  scopes: readonly string[];
  users: ReadonlyArray<{ id: string; label: string }>;
  hidden: Record<string, string>;
  action: string;
}): string {
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n      ');
  const users = input.users.map((u, i) => `<option value="${esc(u.id)}"${i === 0 ? ' selected' : ''}>${esc(u.label)}</option>`).join('');
  const scopes = input.scopes.length
    ? `<ul>${input.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>`
    : '<p>No scopes: basic identity only.</p>';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${esc(input.providerTitle)} (emulator): authorize ${esc(input.clientId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}.note{color:#666;font-size:.9rem}</style></head>
<body>
  <h1>${esc(input.providerTitle)}</h1>
  <p class="note">Local emulator: no real account is involved.</p>
  <p>The application <strong>${esc(input.clientId)}</strong> asks to access your account.</p>
  ${scopes}
  <form method="post" action="${esc(input.action)}">
      ${hidden}
      <label>Sign in as <select name="user_id">${users}</select></label>
      <p><button type="submit" name="decision" value="approve" id="approve">Approve</button>
      <button type="submit" name="decision" value="deny" id="deny">Deny</button></p>
  </form>
</body>
</html>`;
}

export function errorPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(message)}</p></body></html>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
