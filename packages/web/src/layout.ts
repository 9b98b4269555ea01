// The page frame: skip link, header with the user's role and organisation, navigation by role,
// a main landmark, messages. Plain CSS, readable on a laptop and a tablet, WCAG 2.1 AA contrast.
import { API_DOCS, apiDocsHref } from './api-docs';
import { html, type Html } from './html';
import { hasRole, type Flash, type User } from './identity';
import type { Problem } from './problems';
import { roleName } from './texts';

export const CSS = `
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1b1b1b;background:#f5f6f8}
a{color:#00458a}
a:hover{color:#002b57}
:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
header.site{background:#00366b;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
header.site a{color:#fff}
header.site .brand{font-weight:700;font-size:1.15rem;text-decoration:none}
header.site nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
header.site nav a{display:inline-block;padding:.35rem .25rem;text-decoration:none;border-bottom:3px solid transparent}
header.site nav a[aria-current=page]{border-bottom-color:#ffd27a}
header.site .who{margin-left:auto;display:flex;align-items:center;gap:.75rem;font-size:.95rem}
header.site form{margin:0}
main{max-width:72rem;margin:0 auto;padding:1rem}
footer.site{max-width:72rem;margin:0 auto;padding:1rem;border-top:1px solid #c9ced6;font-size:.95rem;color:#4d5561}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:1rem 0 .5rem}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
.card{background:#fff;border:1px solid #c9ced6;border-radius:6px;padding:1rem;margin:0 0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #d5d9df;vertical-align:top}
th{background:#e8ebf0}
.table-wrap{overflow-x:auto}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
fieldset{border:1px solid #c9ced6;border-radius:6px;margin:.5rem 0;padding:.5rem .75rem}
legend{font-weight:600;padding:0 .25rem}
fieldset label.inline,label.inline{display:inline-flex;align-items:center;gap:.35rem;font-weight:400;margin:.2rem 1rem .2rem 0}
input,select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #6b7380;border-radius:4px;background:#fff;color:#1b1b1b;max-width:100%}
input[type=number]{width:6rem}
textarea{width:100%;min-height:4rem}
.filters{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:flex-end}
.filters>div{min-width:10rem}
button,.button{font:inherit;display:inline-block;padding:.5rem 1rem;border-radius:4px;border:2px solid #00458a;background:#00458a;color:#fff;cursor:pointer;text-decoration:none;margin:.5rem .5rem 0 0}
button.secondary,.button.secondary{background:#fff;color:#00458a}
button.danger{background:#a4001d;border-color:#a4001d}
header.site button{background:transparent;border-color:#fff;padding:.25rem .75rem;margin:0}
.message{border-left:6px solid;padding:.75rem 1rem;margin:0 0 1rem;background:#fff}
.message.error{border-color:#a4001d;background:#fdf0f2}
.message.success{border-color:#1d6b2f;background:#eef8f0}
.message.info{border-color:#00458a;background:#eef4fb}
.message p{margin:.25rem 0}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.875rem;border:1px solid #6b7380;background:#fff}
.badge.overdue,.badge.red{background:#a4001d;border-color:#a4001d;color:#fff}
.badge.orange{background:#8a4600;border-color:#8a4600;color:#fff}
.badge.green{background:#1d6b2f;border-color:#1d6b2f;color:#fff}
.muted{color:#4d5561}
.empty{padding:1rem;background:#fff;border:1px dashed #8a929e;border-radius:6px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.bar{display:flex;align-items:center;gap:.5rem}
.bar span.fill{display:inline-block;height:1rem;background:#00458a;border-radius:2px;min-width:2px}
.users{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.users button{width:100%;text-align:left;margin:0}
.loading{display:none}
form[aria-busy=true] .loading{display:inline}
@media (max-width:40rem){header.site .who{margin-left:0}th,td{padding:.35rem}}
`;

// Progressive enhancement only: disable a form's buttons while it submits (no double steps).
const SCRIPT = `document.addEventListener('submit',function(e){var f=e.target;if(f.method==='get')return;f.setAttribute('aria-busy','true');setTimeout(function(){f.querySelectorAll('button').forEach(function(b){b.disabled=true})},0)});`;

export type NavItem = Readonly<{ href: string; label: string; key: string }>;

export const navFor = (user: User): NavItem[] => {
  const items: NavItem[] = [];
  if (hasRole(user, 'coach', 'coordinator'))
    items.push({ href: '/werkvoorraad', label: 'Werkvoorraad', key: 'werkvoorraad' });
  if (hasRole(user, 'privacy-officer')) items.push({ href: '/privacy', label: 'Privacy', key: 'privacy' });
  items.push({ href: '/sociale-kaart', label: 'Sociale kaart', key: 'sociale-kaart' });
  if (hasRole(user, 'reporting-consumer', 'coordinator'))
    items.push({ href: '/monitoring', label: 'Monitoring', key: 'monitoring' });
  if (hasRole(user, 'gp-system', 'referrer'))
    items.push({ href: '/verwijzen', label: 'Verwijzen (demo)', key: 'verwijzen' });
  return items;
};

export const problemBox = (problem: {
  title: string;
  detail?: string;
  errors?: readonly { path: string; message: string }[];
}): Html => html`
  <div class="message error" role="alert">
    <p><strong>${problem.title}</strong></p>
    ${problem.detail ? html`<p>${problem.detail}</p>` : ''}
    ${problem.errors?.length ? html`<ul>${problem.errors.map((e) => html`<li><code>${e.path}</code>: ${e.message}</li>`)}</ul>` : ''}
  </div>`;

export const flashBox = (flash: Flash | undefined): Html | string => {
  if (!flash) return '';
  if (flash.kind === 'error') return problemBox(flash);
  return html`<div class="message success" role="status"><p><strong>${flash.title}</strong></p>${flash.detail ? html`<p>${flash.detail}</p>` : ''}</div>`;
};

export const problemFlash = (p: Problem): Flash => ({
  kind: 'error',
  title: p.title,
  detail: p.detail,
  errors: p.errors,
});

export const empty = (text: string): Html => html`<p class="empty">${text}</p>`;

export type PageOptions = Readonly<{ title: string; user?: User; active?: string; flash?: Flash; body: Html }>;

export const page = ({ title, user, active, flash, body }: PageOptions): string =>
  `<!doctype html>${
    html`<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Welzijn op Recept</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header class="site">
  <a class="brand" href="/">Welzijn op Recept</a>
  ${
    user
      ? html`<nav aria-label="Hoofdmenu"><ul>${navFor(user).map(
          (n) => html`<li><a href="${n.href}"${n.key === active ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
        )}</ul></nav>
  <div class="who"><span>${user.name} · ${user.roles.map(roleName).join(', ')}${user.organisationName ? ` · ${user.organisationName}` : ''}</span>
  <form method="post" action="/afmelden"><button type="submit">Afmelden</button></form></div>`
      : ''
  }
</header>
<main id="inhoud" tabindex="-1">
${flashBox(flash)}
${body}
</main>
<footer class="site"><p>API-documentatie: ${API_DOCS.map(
      (d, i) => html`${i > 0 ? ' · ' : ''}<a href="${apiDocsHref(d.service)}">${d.label}</a>`,
    )}</p></footer>
<script src="/static/app.js"></script>
</body>
</html>`.__html
  }`;

export const SCRIPT_JS = SCRIPT;

/** A request the web app could not read (too large, unknown charset, over-long URL): try again. */
export const notReadablePage = (message: string, user?: User): string =>
  page({
    title: 'Niet gelukt',
    user,
    body: html`<h1>Niet gelukt</h1>${problemBox({ title: message, detail: 'Ga terug en probeer het opnieuw.' })}`,
  });
