/**
 * The OpenAPI 3.1 document, generated from the route declarations and their
 * zod schemas: the same schemas that validate the requests.
 */
import { z } from 'zod';
import type { Access, ResponseSpec, RouteSpec } from './registry';

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** An upload's fields and its file part (binary) as one object schema. */
function multipartSchema(fields: z.ZodType | undefined, file: string): Record<string, unknown> {
  const doc = (fields ? jsonSchema(fields) : { type: 'object', properties: {} }) as { properties?: Record<string, unknown>; required?: string[] };
  return { ...doc, type: 'object', properties: { [file]: { type: 'string', format: 'binary' }, ...doc.properties }, required: [file, ...(doc.required ?? [])] };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const doc = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (doc.required?.includes(name) ?? false),
    schema: s,
  }));
}

function response(spec: ResponseSpec) {
  if (spec.schema === 'problem') {
    return { description: spec.description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  }
  const schema = spec.schema instanceof z.ZodType ? jsonSchema(spec.schema) : (spec.schema ?? { type: 'object' });
  const types = [spec.contentType ?? 'application/json'].flat();
  return { description: spec.description, content: Object.fromEntries(types.map((type) => [type, { schema }])) };
}

function security(access: Access) {
  if (access.kind === 'public') return { security: [] };
  return access.kind === 'roles' ? { 'x-roles': access.roles } : {};
}

const COMMON_ERRORS = { description: 'Problem (RFC 9457)', schema: 'problem' as const };

export function openApiDocument(routes: RouteSpec[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, ResponseSpec> = Object.fromEntries(Object.entries(r.responses).map(([k, v]) => [k, v]));
    if (r.access.kind !== 'public') responses['401'] ??= COMMON_ERRORS;
    if (r.access.kind !== 'public') responses['503'] ??= { description: 'Temporal is unavailable', schema: 'problem' };
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      parameters: [
        ...parameters(r.params, 'path'),
        ...parameters(r.query, 'query'),
        ...(r.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string', maxLength: 200 } })),
      ],
      ...(r.body && !r.multipart ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      ...(r.multipart ? { requestBody: { required: true, description: r.multipart.description, content: { 'multipart/form-data': { schema: multipartSchema(r.body, r.multipart.file) } } } } : {}),
      responses: Object.fromEntries(Object.entries(responses).map(([status, spec]) => [status, response(spec)])),
      ...security(r.access),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'rongcuo 容错免责 API',
      version: '1',
      description:
        'Exemption review cases (容错免责), each run by a Temporal workflow under its jurisdiction’s rulebook. Errors are application/problem+json; `detail` is Chinese unless Accept-Language asks for English.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
