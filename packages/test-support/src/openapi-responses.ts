// Checks live answers against the service's OpenAPI document with ajv: the status must be
// documented for the operation (a problem may fall under `default`), the media type too, and a JSON
// body must validate against its schema, required fields included. Used by each service's test
// harness on every call, so a test fails as soon as code and document disagree.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, Response> }>> };
type Response = { content?: Record<string, { schema?: object }> };

export type LiveResponse = Readonly<{
  method: string;
  /** Path as requested, query string allowed. */
  url: string;
  status: number;
  contentType: string;
  /** The parsed JSON body, if any. */
  body: unknown;
}>;

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** A checker for one document; it throws an Error saying what does not match. */
export const responseValidator = (document: object): ((response: LiveResponse) => void) => {
  const doc = document as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: 'openapi' });
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (ref: string) => {
    let validate = compiled.get(ref);
    if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: `openapi#/${ref}` })));
    return validate;
  };
  // Literal segments win over parameters: /agreements/expiring before /agreements/{agreementId}.
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      params: (template.match(/\{/g) ?? []).length,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }))
    .sort((a, b) => a.params - b.params || b.template.length - a.template.length);

  return ({ method, url, status, contentType, body }) => {
    const path = url.split('?')[0]!;
    const m = method.toLowerCase();
    const found = templates.find((t) => t.regex.test(decodeURI(path)) && doc.paths[t.template]![m]);
    const where = `${method.toUpperCase()} ${path} → ${status}`;
    // A path no route serves answers 404 (or 405) by the kit's fallback; the document describes routes only.
    if (!found && (status === 404 || status === 405)) return;
    if (!found) throw new Error(`${where}: no such operation in the OpenAPI document`);
    const responses = doc.paths[found.template]![m]!.responses ?? {};
    const key = responses[String(status)] ? String(status) : status >= 400 && responses.default ? 'default' : undefined;
    if (!key) throw new Error(`${where}: status not documented for ${found.template}`);
    const content = responses[key]!.content;
    if (!content) {
      if (body !== undefined && body !== '') throw new Error(`${where}: documented without a body, but one came`);
      return;
    }
    const media = contentType.split(';')[0]!.trim().toLowerCase();
    // A 201 may come without a representation (Prefer: return=minimal, RFC 7240): Location says where it is.
    if (status === 201 && !media && (body === undefined || body === '')) return;
    if (!content[media])
      throw new Error(`${where}: media type ${media || '(none)'} not documented (${Object.keys(content).join(', ')})`);
    if (!media.endsWith('json')) return;
    const validate = validatorAt(pointer('paths', found.template, m, 'responses', key, 'content', media, 'schema'));
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 10)
        .map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
      throw new Error(`${where}: the body does not match the documented schema:\n  ${errors.join('\n  ')}`);
    }
  };
};

/**
 * For end-to-end tests across service processes: checks each answer against the document the
 * answering service itself serves at /openapi.json (read once per origin).
 */
export const servedDocumentValidator = () => {
  const byOrigin = new Map<string, Promise<(response: LiveResponse) => void>>();
  return async (url: string, response: Omit<LiveResponse, 'url'>): Promise<void> => {
    const { origin, pathname } = new URL(url);
    let check = byOrigin.get(origin);
    if (!check) {
      check = fetch(`${origin}/openapi.json`).then(async (r) => responseValidator((await r.json()) as object));
      byOrigin.set(origin, check);
    }
    (await check)({ ...response, url: pathname });
  };
};
