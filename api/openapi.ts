/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate
 * requests, so the contract cannot drift from the code.
 */
import { z } from 'zod';
import { ROLES } from './auth';
import { ACTION_SUMMARIES, actionBodies } from './case-actions';
import { deadlinePreviewQuery, openCaseBody } from './schemas';
import { yearScheduleInputSchema } from '../domain/calendar/year-input';

type Schema = z.ZodType;

function jsonSchema(schema: Schema): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function queryParameters(schema: z.ZodObject) {
  const doc = jsonSchema(schema) as { properties: Record<string, unknown>; required?: string[] };
  return Object.entries(doc.properties).map(([name, s]) => ({ name, in: 'query', required: doc.required?.includes(name) ?? false, schema: s }));
}

const problem = { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema: jsonSchema(schema) } } });
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), problem]));
const roles = (r: readonly string[]) => ({ 'x-roles': r });

const caseIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^case-[a-z][a-z0-9-]*-\\d{4}-\\d{4,}$' } };

export function openApiDocument(): Record<string, unknown> {
  const actionPaths = Object.fromEntries(
    Object.entries(actionBodies).map(([name, schema]) => [
      `/v1/cases/{id}/actions/${name}`,
      {
        post: {
          operationId: name,
          summary: ACTION_SUMMARIES[name as keyof typeof ACTION_SUMMARIES],
          description: 'The roles that may take this step come from the case’s rulebook; GET /v1/cases/{id} lists them under availableActions.',
          tags: ['case actions'],
          parameters: [caseIdParam],
          requestBody: body(schema),
          responses: { '200': json('The case after the action'), ...errors(400, 401, 403, 404, 409, 422, 503) },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'rongcuo 容错免责 API',
      version: '1',
      description: 'Exemption review cases (容错免责), each run by a Temporal workflow under its jurisdiction’s rulebook.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [{ name: 'cases' }, { name: 'case actions' }, { name: 'calendar' }, { name: 'operations' }],
    paths: {
      '/v1/cases': {
        post: {
          operationId: 'openCase',
          summary: 'Open a case (立案启动容错免责程序)',
          tags: ['cases'],
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }],
          requestBody: body(openCaseBody),
          responses: { '201': json('Case opened', { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }), ...errors(400, 401, 403, 409, 415, 422, 503) },
          ...roles(['officer']),
        },
      },
      '/v1/cases/{id}': {
        get: {
          operationId: 'getCase',
          summary: 'A case’s full state: stage, deadlines with their articles, timeline',
          tags: ['cases'],
          parameters: [caseIdParam],
          responses: { '200': json('The case'), ...errors(400, 401, 404, 503) },
          ...roles(ROLES),
        },
      },
      ...actionPaths,
      '/v1/calendar/deadline': {
        get: {
          operationId: 'previewDeadline',
          summary: 'Count a statutory period (民法典 第二百零一条至第二百零三条)',
          tags: ['calendar'],
          parameters: queryParameters(deadlinePreviewQuery),
          responses: { '200': json('The deadline, whether provisional, and the days skipped'), ...errors(400, 401) },
          ...roles(ROLES),
        },
      },
      '/v1/calendar/years': {
        get: {
          operationId: 'listCalendarYears',
          summary: 'Years with an official holiday schedule, and where each came from',
          tags: ['calendar'],
          responses: { '200': json('The years'), ...errors(401) },
          ...roles(ROLES),
        },
      },
      '/v1/calendar/years/{year}': {
        put: {
          operationId: 'loadCalendarYear',
          summary: 'Load the State Council’s holiday schedule of a year; running cases recount provisional deadlines',
          tags: ['calendar'],
          parameters: [{ name: 'year', in: 'path', required: true, schema: { type: 'integer', minimum: 1949, maximum: 2200 } }],
          requestBody: body(yearScheduleInputSchema(2027)),
          responses: { '200': json('The year as stored'), ...errors(400, 401, 403, 415, 503) },
          ...roles(['admin']),
        },
      },
      '/healthz': { get: { operationId: 'health', summary: 'The process is up', tags: ['operations'], security: [], responses: { '200': json('Up') } } },
      '/readyz': {
        get: { operationId: 'ready', summary: 'Temporal and the database answer', tags: ['operations'], security: [], responses: { '200': json('Ready'), '503': json('Not ready') } },
      },
      '/openapi.json': { get: { operationId: 'openapi', summary: 'This document', tags: ['operations'], security: [], responses: { '200': json('OpenAPI 3.1') } } },
      '/docs': { get: { operationId: 'docs', summary: 'Interactive documentation', tags: ['operations'], security: [], responses: { '200': { description: 'HTML' } } } },
    },
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
