/**
 * Reading GET /api/openapi.json for the console's API page: operations grouped by tag, and schemas told
 * in a line (type, allowed values, bounds) or as a table of properties. Pure functions, no Vue.
 */

export type Schema = {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  format?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: Schema | boolean;
};

export interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { description?: string; content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; responses?: Record<string, { description?: string }> };
}

export interface OperationEntry {
  id: string;
  method: string;
  path: string;
  operation: Operation;
}

export interface TagGroup {
  name: string;
  description: string;
  operations: OperationEntry[];
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

/** The operations under their tags, in the document's tag order (untagged ones last). */
export function groupByTag(doc: OpenApiDocument): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const tag of doc.tags ?? []) groups.set(tag.name, { name: tag.name, description: tag.description ?? tag.name, operations: [] });
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHOD_ORDER.filter((m) => item[m])) {
      const operation = item[method]!;
      const name = operation.tags?.[0] ?? 'other';
      if (!groups.has(name)) groups.set(name, { name, description: name, operations: [] });
      groups.get(name)!.operations.push({ id: `${method} ${path}`, method, path, operation });
    }
  }
  return [...groups.values()].filter((g) => g.operations.length > 0);
}

/** The component name a `$ref` points to. */
export const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);

/** A schema in one line: its type, allowed values and bounds. */
export function schemaText(schema: Schema | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return `→ ${refName(schema.$ref)}`;
  const alternatives = schema.anyOf ?? schema.oneOf;
  const parts: string[] = [];
  if (alternatives) parts.push(alternatives.map(schemaText).join(' | '));
  else if (schema.type) parts.push(Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type);
  if (schema.type === 'array' && schema.items) parts.push(`[${schemaText(schema.items)}]`);
  if (schema.enum) parts.push(`∈ { ${schema.enum.map((v) => String(v)).join(', ')} }`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? '…'} – ${schema.maximum ?? '…'}`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength}`);
  if (schema.maxItems !== undefined) parts.push(`≤ ${schema.maxItems} items`);
  if (schema.format) parts.push(schema.format);
  if (schema.pattern && !schema.enum && schema.maxLength === undefined) parts.push(`/${schema.pattern}/`);
  return parts.join(' · ');
}

export interface PropertyRow {
  name: string;
  title: string;
  required: boolean;
  text: string;
  description: string;
}

/** The properties of an object schema, one row each (empty for anything else). */
export function propertyRows(schema: Schema | undefined): PropertyRow[] {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, p]) => ({
    name,
    title: p.title && p.title !== name ? p.title : '',
    required: required.has(name),
    text: schemaText(p),
    description: p.description ?? '',
  }));
}

/** Each answer's status and description, shared error answers (`$ref`) resolved. */
export function responseRows(doc: OpenApiDocument, operation: Operation): { status: string; description: string }[] {
  return Object.entries(operation.responses).map(([status, r]) => ({
    status,
    description: r.$ref ? (doc.components?.responses?.[refName(r.$ref)]?.description ?? '') : (r.description ?? ''),
  }));
}

/** The record schemas the page lists in full: each feed's record and the reference entries. */
export function recordSchemas(doc: OpenApiDocument): { name: string; schema: Schema }[] {
  return Object.entries(doc.components?.schemas ?? {})
    .filter(([name]) => name.startsWith('FeedRecord.') || name.startsWith('Reference'))
    .map(([name, schema]) => ({ name, schema }));
}

/** A description's text in pieces: `code` spans apart from prose (the document's only markup besides **bold**, dropped). */
export function inlineParts(text: string | undefined): { code: boolean; text: string }[] {
  return (text ?? '')
    .replace(/\*\*/g, '')
    .split('`')
    .map((part, i) => ({ code: i % 2 === 1, text: part }))
    .filter((p) => p.text !== '');
}
