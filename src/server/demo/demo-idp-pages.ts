/** The demo identity provider's pages: plain HTML, one linked stylesheet, no script (CSP-safe). */

const escape = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – Demo identity provider</title>
<link rel="stylesheet" href="/demo-idp/assets/demo-idp.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="banner"><p>Demo identity provider. Not the real service: for trying Carethread only.</p></header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

export interface PickablePerson {
  sub: string;
  label: string;
  hint: string;
}

/** "Who are you?": a radio per demo person, and a way to cancel. */
export function pickPersonPage(options: {
  serviceName: string;
  action: string;
  cancelAction: string;
  people: PickablePerson[];
  error?: boolean;
}): string {
  const radios = options.people
    .map(
      (person, i) => `<div class="radio">
<input type="radio" id="person-${i}" name="person" value="${escape(person.sub)}" aria-describedby="person-${i}-hint">
<label for="person-${i}">${escape(person.label)}</label>
<p class="hint" id="person-${i}-hint">${escape(person.hint)}</p>
</div>`,
    )
    .join('\n');
  const error = options.error
    ? `<div class="error" role="alert"><h2>There is a problem</h2><p><a href="#person-0">Choose who you want to sign in as</a></p></div>`
    : '';
  return page(
    `Sign in with ${options.serviceName}`,
    `${error}
<h1>Sign in with ${escape(options.serviceName)}</h1>
<form method="post" action="${escape(options.action)}" novalidate>
<fieldset>
<legend>Who do you want to sign in as?</legend>
${radios}
</fieldset>
<button type="submit">Continue</button>
</form>
<form method="post" action="${escape(options.cancelAction)}">
<button type="submit" class="secondary">Cancel and go back</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    'Something went wrong',
    `<h1>Something went wrong</h1>
<p>${escape(message)}</p>
<p>Go back to Carethread and start signing in again.</p>`,
  );
}

export const STYLESHEET = `
body { font-family: Arial, sans-serif; font-size: 1.1875rem; line-height: 1.5; color: #212b32; background: #f0f4f5; margin: 0; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #ffeb3b; color: #212b32; padding: .5rem; }
.banner { background: #005eb8; color: #fff; padding: .5rem 1rem; }
.banner p { margin: 0; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 2rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; }
legend { font-weight: bold; font-size: 1.375rem; margin-bottom: .5rem; }
.radio { margin-bottom: 1rem; }
.radio input { width: 1.5rem; height: 1.5rem; margin-right: .5rem; vertical-align: middle; }
.radio label { font-weight: bold; vertical-align: middle; }
.hint { margin: .25rem 0 0 2rem; color: #4c6272; }
button { font: inherit; font-weight: bold; background: #005eb8; color: #fff; border: 0; border-radius: 4px; padding: .75rem 1rem; cursor: pointer; margin-bottom: 1rem; }
button.secondary { background: #fff; color: #005eb8; border: 2px solid #005eb8; }
button:focus, input:focus, a:focus { outline: 4px solid #ffeb3b; outline-offset: 0; box-shadow: 0 4px 0 #212b32; }
.error { border: 4px solid #d5281b; background: #fff; padding: 1rem; margin-bottom: 1.5rem; }
.error h2 { margin-top: 0; }
.error a { color: #d5281b; font-weight: bold; }
`;
