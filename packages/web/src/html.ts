// Tiny HTML templating: every interpolated value is escaped unless it is already Html (built by
// this tag or `raw`). Arrays are joined; null, undefined and false render nothing.
export type Html = Readonly<{ __html: string }>;

const isHtml = (value: unknown): value is Html => typeof value === 'object' && value !== null && '__html' in value;

export const escapeHtml = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const render = (value: unknown): string => {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isHtml(value)) return value.__html;
  return escapeHtml(value);
};

/** Trusted markup: only for strings this code wrote itself. */
export const raw = (markup: string): Html => ({ __html: markup });

export const html = (strings: TemplateStringsArray, ...values: unknown[]): Html =>
  raw(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));

export const toString = (h: Html): string => h.__html;
