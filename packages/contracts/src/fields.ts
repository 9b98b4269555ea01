import type { z } from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
};

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every field path of a zod schema, e.g. `data.reasons[]`. Used to audit contracts for personal data. */
export const fieldPaths = (schema: z.ZodType, prefix = ''): string[] => {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, child]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return [path, ...fieldPaths(child, path)];
      });
    case 'array':
      return def.element ? fieldPaths(def.element, `${prefix}[]`) : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return def.innerType ? fieldPaths(def.innerType, prefix) : [];
    case 'union':
      return (def.options ?? []).flatMap((option) => fieldPaths(option, prefix));
    default:
      return [];
  }
};
