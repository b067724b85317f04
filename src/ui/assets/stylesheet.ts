/**
 * The one stylesheet of the pages. It lives in the code (no file read, no build step), so it is
 * the same on Node and Workers; its URL carries a hash of its content, so it can be cached for
 * a year and a change is picked up at once.
 *
 * Colours: text #1a1d21 and links #0b4f8a on white (both above 7:1), muted text #4b5563 (7.5:1),
 * badges dark on light tints (above 7:1). Focus is a thick outline that never depends on colour alone.
 */
export const STYLESHEET = `
:root {
  --text: #1a1d21;
  --muted: #4b5563;
  --bg: #ffffff;
  --panel: #f4f6f8;
  --line: #cfd6de;
  --link: #0b4f8a;
  --accent: #0b4f8a;
  --focus: #ffbf47;
  --ok-bg: #e3f4e8; --ok: #14532d;
  --warn-bg: #fdf1d8; --warn: #713f12;
  --info-bg: #e6effa; --info: #0b3a66;
  --plan-bg: #efe9fb; --plan: #3b1f73;
  font-size: 100%;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--text); background: var(--bg);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.55;
}
a { color: var(--link); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--text); outline-offset: 2px; box-shadow: 0 0 0 6px var(--focus); }
h1, h2, h3 { line-height: 1.25; margin: 1.4em 0 0.5em; }
h1 { font-size: 1.75rem; margin-top: 0.6em; }
h2 { font-size: 1.35rem; }
h3 { font-size: 1.1rem; }
p, ul, ol, dl, table { margin: 0 0 1rem; }
.wrap { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: -999rem; top: 0; background: var(--focus); color: #000; padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { left: 0.5rem; top: 0.5rem; }
header.site { border-bottom: 4px solid var(--accent); background: var(--panel); }
header.site .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding-top: 0.6rem; padding-bottom: 0.6rem; }
.brand { font-weight: 700; font-size: 1.3rem; color: var(--text); text-decoration: none; }
.brand small { display: block; font-weight: 400; font-size: 0.8rem; color: var(--muted); }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
nav a { display: inline-block; padding: 0.35rem 0.1rem; font-weight: 600; }
nav a[aria-current="page"] { color: var(--text); text-decoration-thickness: 3px; }
.langs { margin-left: auto; font-size: 0.95rem; }
.langs a[aria-current="true"] { color: var(--text); font-weight: 700; text-decoration: none; }
main { padding-bottom: 3rem; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; padding: 1.5rem 0 2rem; }
.lead { font-size: 1.1rem; color: var(--muted); max-width: 48rem; }
.muted { color: var(--muted); }
.vh { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.layout { display: grid; gap: 1.5rem; }
@media (min-width: 56rem) { .layout { grid-template-columns: 17rem 1fr; align-items: start; } }
.search { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; margin-bottom: 1rem; }
.search .field { flex: 1 1 16rem; }
label { display: block; font-weight: 600; margin-bottom: 0.2rem; }
.hint { display: block; font-weight: 400; color: var(--muted); font-size: 0.9rem; }
input[type="search"], input[type="text"], select {
  font: inherit; width: 100%; padding: 0.5rem 0.6rem; border: 2px solid var(--muted); border-radius: 4px; background: #fff; color: var(--text);
}
button, .button {
  font: inherit; font-weight: 600; padding: 0.5rem 1rem; border: 2px solid var(--accent); border-radius: 4px;
  background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block;
}
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
.filters { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; }
.filters h2 { margin-top: 0.2rem; font-size: 1.15rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1rem; min-width: 0; }
legend { font-weight: 700; padding: 0; margin-bottom: 0.25rem; }
.check { display: flex; gap: 0.4rem; align-items: flex-start; font-weight: 400; margin: 0.15rem 0; }
.check input { width: 1.1rem; height: 1.1rem; margin-top: 0.25rem; flex: none; }
.count { color: var(--muted); font-variant-numeric: tabular-nums; }
.actions { margin-top: 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
ol.results { list-style: none; padding: 0; }
ol.results > li { border-bottom: 1px solid var(--line); padding: 0.9rem 0; }
ol.results h3 { margin: 0 0 0.3rem; font-size: 1.1rem; }
.meta { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.25rem 0 0; padding: 0; list-style: none; font-size: 0.95rem; }
.badge { display: inline-block; border-radius: 999px; padding: 0.05rem 0.6rem; font-size: 0.85rem; font-weight: 600; background: var(--info-bg); color: var(--info); }
.badge.planned { background: var(--plan-bg); color: var(--plan); }
.badge.open { background: var(--ok-bg); color: var(--ok); }
.badge.reserved { background: var(--warn-bg); color: var(--warn); }
.badge.no { background: var(--panel); color: var(--muted); }
.empty { background: var(--panel); border-left: 4px solid var(--accent); padding: 1rem; }
.note { background: var(--info-bg); color: var(--info); border-left: 4px solid var(--info); padding: 0.75rem 1rem; }
.flag { background: var(--warn-bg); color: var(--warn); border-left: 4px solid var(--warn); padding: 0.75rem 1rem; }
dl.facts { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: 0.35rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
dl.facts dd p { margin: 0.3rem 0 0; }
@media (max-width: 36rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 0.5rem; } }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin-bottom: 1rem; }
.card h3, .card h4 { margin-top: 0.2rem; }
ul.codes { padding-left: 1.1rem; }
code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
.table-wrap { position: relative; overflow-x: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; }
.table-wrap th, .table-wrap td { min-width: 8rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
th, td { border: 1px solid var(--line); padding: 0.45rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: var(--panel); }
th[scope="row"] { font-weight: 600; background: #fafbfc; }
td.covers { background: var(--ok-bg); color: var(--ok); }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid var(--line); margin-left: 0.4rem; }
ol.timeline li { position: relative; padding: 0 0 0.8rem 1rem; }
ol.timeline li::before { content: ""; position: absolute; left: -0.5rem; top: 0.45rem; width: 0.7rem; height: 0.7rem; border-radius: 50%; background: var(--accent); }
nav.pager ul { justify-content: space-between; align-items: center; margin-top: 1rem; }
form.inline { display: inline; margin: 0; }
button.link { background: none; border: 0; padding: 0.35rem 0.1rem; color: var(--link); text-decoration: underline; font-weight: 600; }
input[type="email"], input[type="number"], input[type="url"], textarea {
  font: inherit; width: 100%; padding: 0.5rem 0.6rem; border: 2px solid var(--muted); border-radius: 4px; background: #fff; color: var(--text);
}
.form { max-width: 40rem; }
.form .field { margin-bottom: 1rem; }
.form .row { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
.form .row .field { flex: 1 1 10rem; }
.error { color: #a4161a; font-weight: 600; }
tr.row-error td, tr.row-error th { background: #fdecea; }
tr.row-error > :first-child { box-shadow: inset 4px 0 0 #a4161a; }
[aria-invalid="true"] { border-color: #a4161a !important; }
.notice { background: var(--panel); border-left: 4px solid var(--accent); padding: 0.75rem 1rem; margin: 0 0 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
@media print { header.site nav, .langs, .filters, nav.pager, .skip { display: none; } a { color: inherit; } }
`;

/** FNV-1a, 32 bits, as 8 hex digits: enough to tell two versions of one file apart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

let version: string | undefined;

/** The stylesheet's URL, with the content hash: `/assets/app.1a2b3c4d.css`. */
export function stylesheetPath(): string {
  version ??= fnv1a(STYLESHEET);
  return `/assets/app.${version}.css`;
}
