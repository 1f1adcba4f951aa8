/**
 * Property-based fuzzing of the HTTP API (fast-check): for every operation of
 * the OpenAPI document, a valid request is generated from its declared
 * parameters and body schema, with real ids and tokens, then mutated: bodies
 * (wrong types, control characters, huge arrays, dates at the edges, raw
 * bytes, charsets, false gzip), headers, paths (broken percent-encoding),
 * queries (hex numbers, forged page tokens) and tokens (forged claims, no
 * exp, future iat, other audiences). Every answer must come, must not be a
 * 5xx, and must be application/problem+json when it is an error.
 *
 * Requests go over a real socket (node:http), so a hang is a hang and what is
 * sent is exactly what a client can send.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import type { Express } from 'express';
import { EMBEDDED_TOKEN_AUDIENCE, EMBEDDED_TOKEN_ISSUER } from '../../api/auth';
import { httpServer } from '../../api/server';

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

export interface Operation {
  id: string;
  method: string;
  path: string;
  pathParams: string[];
  query: { name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
  /** The roles the route asks for; undefined for any signed-in user; null for public routes. */
  roles: string[] | undefined | null;
}

/** The operations of an OpenAPI document, as the fuzzer generates requests for them. */
export function operationsOf(document: Record<string, unknown>): Operation[] {
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const parameters = (op.parameters ?? []) as { name: string; in: string; required?: boolean; schema: JsonSchema }[];
      const body = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content?.['application/json']?.schema;
      const security = op.security as unknown[] | undefined;
      return {
        id: String(op.operationId),
        method,
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required ?? false, schema: p.schema })),
        ...(body ? { body } : {}),
        roles: security && security.length === 0 ? null : (op['x-roles'] as string[] | undefined),
      };
    }),
  );
}

/** Real things of the stack the requests name, so valid requests reach the code behind the checks. */
export interface FuzzWorld {
  /** Cases with the authority they belong to; requests on a case mostly carry a token of that authority. */
  cases: { id: string; authority: string }[];
  documentIds: string[];
  noticeIds: string[];
  updateIds: string[];
  /** Tokens of users with these roles at these authorities; valid requests carry one whose roles fit the route. */
  tokens: { roles: string[]; authority: string; token: string }[];
  /** Tokens signed with the app's secret whose claims or registered claims are wrong (see `forgeTokens`). */
  forgedTokens: string[];
  today: string;
}

export interface FuzzRequest {
  operation: string;
  mutation: string;
  method: string;
  /** As sent on the wire: percent-encoded, possibly malformed on purpose. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

// ---- values -----------------------------------------------------------------------------------

const PHRASES = ['改革试点中的程序瑕疵', '申请容错免责', '陈调查', '刘调查', '与被调查对象有亲属关系', '某街道党工委', '问〔2026〕3号', '县投资促进局', '原结论事实清楚'];
const NAMES = ['陈调查', '刘调查', '赵某', '孙某', '周调查'];

/** Values a field of this name takes in a valid request, before its pattern is consulted. */
function byName(name: string, world: FuzzWorld): fc.Arbitrary<unknown> | undefined {
  switch (name) {
    case 'name':
      return fc.constantFrom(...NAMES);
    case 'jurisdiction':
      // Mostly the jurisdiction of the fuzzer's own authority, so openings get through.
      return fc.constantFrom('binhai', 'binhai', 'binhai', 'yangjiang', 'hangzhou-education');
    case 'year':
      return fc.constant(world.today.slice(0, 4));
    case 'pageSize':
    case 'limit':
    case 'amount':
      return fc.constantFrom('1', '5', '20');
    case 'circumstances':
    case 'mitigating':
    case 'conditions':
    case 'exclusions':
      return fc.constantFrom([], ['binhai-6-3'], ['yj-5']);
    case 'pageToken':
      return fc.constant(undefined);
    default:
      return undefined;
  }
}

/** Candidates for a string with a pattern, tried in order; the pattern's own generator if none fits. */
function candidates(world: FuzzWorld): string[] {
  return [world.today, ...world.cases.map((c) => c.id), ...world.updateIds, 'binhai', 'application', 'exempt', 'C1', 'cadre-1', 'binhai-6-3', '2021-10', '5', 'party@example.cn'];
}

function stringArb(schema: JsonSchema, world: FuzzWorld): fc.Arbitrary<string> {
  const fits = (s: string) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const known = candidates(world).filter((c) => pattern.test(c) && fits(c));
    return known.length > 0 ? fc.constantFrom(...known) : fc.stringMatching(pattern).filter(fits);
  }
  const phrases = PHRASES.filter(fits);
  return phrases.length > 0 ? fc.constantFrom(...phrases) : fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 20, 20) });
}

/** A value the schema accepts (as far as a JSON schema says; refinements may still refuse it). */
export function valueArb(schema: JsonSchema | undefined, world: FuzzWorld, name = ''): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant(null);
  const named = byName(name, world);
  if (named) return named;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueArb(s, world, name)));
  switch (schema.type) {
    case 'string':
      return stringArb(schema, world);
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 100 });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(valueArb(schema.items, world, name), { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)) });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const arbs = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, valueArb(s, world, key)]));
      return fc.record(arbs, { requiredKeys: (schema.required ?? []).filter((k) => k in arbs) }) as fc.Arbitrary<unknown>;
    }
    default:
      return fc.constant(null);
  }
}

/** What a hostile client puts where a value belongs. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u200b', '\u202e', '\ufeff', '\ud800', 'a', '王', '"', "'", '\\', ' ', '\n'), maxLength: 30 }),
  fc.constantFrom(
    '9999-12-31', '0099-01-01', '2003-12-31', '2101-01-01', '2026-02-30', '+002026-01-01', '2026-1-1', '20260101',
    '0x10', '0b101', '1e3', '-1', '1.5', 'NaN', 'Infinity', '',
    '" OR Authority != "', "' OR '1'='1", '") AND ("1"="1', 'x AND y OR z', '${jndi:ldap://x}', '__proto__', 'constructor',
    '１１０１０１１９９００１０１１２３４', '王\u200b某', 'Ｗａｎｇ',
  ),
  fc.constantFrom(null, true, false, 0, -0, 1e308, -1e308, 2 ** 53 + 1, 0.1),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('x'.repeat(5001), '王'.repeat(20001)),
  fc.array(fc.integer(), { minLength: 50, maxLength: 3000 }),
  fc.constant(Array.from({ length: 200 }, () => ({ name: 1, sub: [] }))),
  fc.constant(JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}')),
  fc.jsonValue({ maxDepth: 3 }),
);

// ---- mutations --------------------------------------------------------------------------------

/** Every place a value sits in a JSON value, as a path of keys. */
function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => leafPaths(v, [...at, i]))];
  if (value && typeof value === 'object') return [at, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...at, k]))];
  return [at];
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown, remove = false): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && remove) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement, remove);
    return copy;
  }
  const copy: Record<string | number, unknown> = { ...(value as object) };
  if (rest.length === 0 && remove) delete copy[head!];
  else copy[head!] = setAt(copy[head!], rest, replacement, remove);
  return copy;
}

/** Percent-encoding as a client does it, also for lone surrogates (sent as U+FFFD, as UTF-8 encoders do). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A header value Node will send (latin-1, no line breaks). */
const headerSafe = (s: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(s);

const hostileSegment = fc.oneof(
  fc.constantFrom('%', '%zz', '%00', '%E0%A4%A', '%c0%ae%c0%ae', '%2e%2e', '..', '%2F', '%ff%fe', '%u0041', '%%', 'a%', '%0a', '%20', '~'),
  fc.string({ unit: 'binary', maxLength: 20 }).map(percentEncode),
  fc.constantFrom('x'.repeat(3000), 'case-binhai-2026-0001x', 'CASE-BINHAI-2026-0001', '00000000-0000-4000-8000-000000000000', '0x7e9', '1e3', '-1', '99999999999'),
);

type Registered = { iss?: string | undefined; aud?: string | undefined; iat?: number | undefined; exp?: number | undefined; sub?: string | undefined };

/**
 * Tokens signed with the app's own secret but wrong: hostile values in each claim, no exp, no iat,
 * iat in the future or long past, expired, another audience, no issuer, no sub, alg none, HS512.
 * Signed once, ahead, so the requests themselves are generated synchronously (and shrink well).
 */
export async function forgeTokens(secret: Uint8Array, count = 40): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const base: Registered = { iss: EMBEDDED_TOKEN_ISSUER, aud: EMBEDDED_TOKEN_AUDIENCE, iat: now, exp: now + 3 * 3600, sub: 'fuzz-user' };
  const claims: Record<string, unknown> = { name: '模糊测试', roles: ['officer', 'supervisor'], authority: 'binhai-jw' };
  const sign = (registered: Registered, extra: Record<string, unknown>, alg = 'HS256') => new SignJWT({ ...extra, ...registered }).setProtectedHeader({ alg }).sign(secret);
  const hostileClaims = fc.sample(fc.tuple(fc.constantFrom('authority', 'sub', 'name', 'roles'), hostileValue), { numRuns: count, seed: 14 });
  const changes: Partial<Registered>[] = [{ exp: undefined }, { iat: undefined }, { iat: now + 3600 }, { iat: now - 86_400 }, { exp: now - 3600 }, { aud: 'other' }, { iss: undefined }, { sub: undefined }];
  return Promise.all([
    ...hostileClaims.map(([claim, value]) => (claim === 'sub' ? sign({ ...base, sub: value as string }, claims) : sign(base, { ...claims, [claim]: value }))),
    ...changes.map((change) => sign({ ...base, ...change }, claims)),
    new UnsecuredJWT(claims).setSubject('u').setIssuedAt().setExpirationTime('5m').encode(),
    sign(base, claims, 'HS512'),
  ]);
}

const authorizationArb = (world: FuzzWorld): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 60 }).filter(headerSafe),
    fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer ....', `Bearer ${'x'.repeat(9000)}`),
    fc.constantFrom(...world.forgedTokens).map((t) => `Bearer ${t}`),
  );

interface Parts {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  token: string | undefined;
  idempotencyKey: string | undefined;
}

function partsArb(op: Operation, world: FuzzWorld): fc.Arbitrary<Parts> {
  const pathIds = (name: string): string[] => {
    if (name === 'updateId') return world.updateIds;
    if (name === 'year') return [world.today.slice(0, 4)];
    if (op.path.startsWith('/v1/documents')) return world.documentIds;
    if (op.path.startsWith('/v1/inbox')) return world.noticeIds;
    return ['binhai', 'yangjiang'];
  };
  const onCase = op.path.startsWith('/v1/cases/{id}');
  // The cases in the order the world lists them, the first most often (the last names no case).
  const caseArb = onCase ? fc.oneof(...world.cases.map((c, i) => ({ arbitrary: fc.constant(c), weight: i === 0 ? 4 : i === world.cases.length - 1 ? 1 : 2 }))) : fc.constant(undefined);
  return caseArb.chain((kase) => {
    const params = fc.record(Object.fromEntries(op.pathParams.map((name) => [name, name === 'id' && kase ? fc.constant(kase.id) : fc.constantFrom(...pathIds(name))])));
    const query = fc.record(Object.fromEntries(op.query.map((q) => [q.name, valueArb(q.schema, world, q.name)])), { requiredKeys: op.query.filter((q) => q.required).map((q) => q.name) });
    const fitting = world.tokens.filter(
      (t) => (op.roles === undefined || op.roles === null || t.roles.some((r) => op.roles!.includes(r))) && (!kase || t.authority === kase.authority),
    );
    // The first fitting user (each authority lists its officer first) most often: its steps get through.
    const candidates = (fitting.length > 0 ? fitting : world.tokens).map((t, i) => ({ arbitrary: fc.constant(t.token), weight: i === 0 ? 4 : 1 }));
    const token = op.roles === null ? fc.constant(undefined) : fc.oneof(...candidates);
    return fc.record({
      params,
      query,
      body: op.body ? valueArb(op.body, world) : fc.constant(undefined),
      token,
      idempotencyKey: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), { nil: undefined }),
    }) as fc.Arbitrary<Parts>;
  });
}

type Mutation = { label: string; apply(req: FuzzRequest, parts: Parts): FuzzRequest };

function encodeQuery(query: Record<string, unknown>): string {
  const pairs = Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, typeof v === 'string' ? v : JSON.stringify(v)]]));
  return pairs.length > 0 ? `?${pairs.map(([k, v]) => `${percentEncode(k!)}=${percentEncode(v!)}`).join('&')}` : '';
}

function build(op: Operation, parts: Parts, query = parts.query, params = parts.params): FuzzRequest {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? 'x');
  const headers: Record<string, string> = { 'accept-language': 'en' };
  if (parts.token) headers.authorization = `Bearer ${parts.token}`;
  if (parts.idempotencyKey && op.method !== 'get') headers['idempotency-key'] = parts.idempotencyKey;
  const body = parts.body === undefined ? undefined : Buffer.from(JSON.stringify(parts.body));
  if (body) headers['content-type'] = 'application/json';
  return { operation: op.id, mutation: 'none', method: op.method.toUpperCase(), path: `${path}${encodeQuery(query)}`, headers, ...(body ? { body } : {}) };
}

function mutationArb(op: Operation, world: FuzzWorld): fc.Arbitrary<Mutation> {
  const withBody = (label: string, f: (body: unknown) => unknown): Mutation => ({
    label,
    apply: (req, parts) => {
      const body = Buffer.from(JSON.stringify(f(parts.body ?? {})) ?? 'null');
      return { ...req, body, headers: { ...req.headers, 'content-type': 'application/json' } };
    },
  });
  const rebuild = (label: string, change: (parts: Parts) => { query?: Record<string, unknown>; params?: Record<string, string> }): Mutation => ({
    label,
    apply: (req, parts) => {
      const changed = change(parts);
      return { ...build(op, parts, changed.query ?? parts.query, changed.params ?? parts.params), mutation: label };
    },
  });
  const header = (name: string, values: fc.Arbitrary<string>) => values.filter(headerSafe).map((v): Mutation => ({ label: `header ${name}`, apply: (req) => ({ ...req, headers: { ...req.headers, [name]: v } }) }));

  const mutations: fc.Arbitrary<Mutation>[] = [
    fc.constant<Mutation>({ label: 'none', apply: (req) => req }),
    // Bodies
    fc.tuple(fc.nat(), hostileValue).map(([i, v]) => withBody('body: a value replaced', (b) => { const paths = leafPaths(b); return setAt(b, paths[i % paths.length]!, v); })),
    fc.nat().map((i) => withBody('body: a key removed', (b) => { const paths = leafPaths(b).filter((p) => p.length > 0); return paths.length ? setAt(b, paths[i % paths.length]!, undefined, true) : b; })),
    fc.tuple(fc.string({ maxLength: 12 }), hostileValue).map(([k, v]) => withBody('body: an unknown key', (b) => (b && typeof b === 'object' && !Array.isArray(b) ? { ...b, [k || 'extra']: v } : b))),
    hostileValue.map((v) => withBody('body: replaced whole', () => v)),
    fc.uint8Array({ maxLength: 200 }).map((bytes): Mutation => ({ label: 'body: raw bytes', apply: (req) => ({ ...req, body: Buffer.from(bytes), headers: { ...req.headers, 'content-type': 'application/json' } }) })),
    fc.constantFrom('text/plain', 'application/json; charset=utf-16', 'application/json; charset="latin1"', 'application/json; charset=x-unknown', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json;;;', '*/*', '', 'application/problem+json', 'application/json; charset=UTF-8').map(
      (type): Mutation => ({ label: 'header content-type', apply: (req) => ({ ...req, body: req.body ?? Buffer.from('{}'), headers: { ...req.headers, 'content-type': type } }) }),
    ),
    fc.tuple(fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity', 'gzip, gzip', 'zstd', 'x-unknown'), fc.boolean()).map(
      ([encoding, honest]): Mutation => ({
        label: `header content-encoding ${honest ? '(honest gzip)' : '(false)'}`,
        apply: (req) => {
          const body = req.body ?? Buffer.from('{}');
          return { ...req, body: honest && encoding === 'gzip' ? gzipSync(body) : body, headers: { ...req.headers, 'content-type': 'application/json', 'content-encoding': encoding } };
        },
      }),
    ),
    // Headers and tokens
    authorizationArb(world).map((value): Mutation => ({
      label: 'header authorization',
      apply: (req) => {
        const headers = { ...req.headers };
        if (value === undefined || !headerSafe(value)) delete headers.authorization;
        else headers.authorization = value;
        return { ...req, headers };
      },
    })),
    header('idempotency-key', fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 300 }), fc.constantFrom('', ' ', 'k'.repeat(201), 'k'.repeat(200), '键'))),
    header('accept-language', fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('*', 'zh;q=x', 'en;q=1.5', ',,,', 'en-GB,en;q=0.9'))),
    header('accept', fc.constantFrom('application/pdf', 'text/html', '*/*;q=0', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ',', 'x/y;q=abc')),
    fc.constantFrom('DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'POST', 'GET').map((method): Mutation => ({ label: `method ${method}`, apply: (req) => ({ ...req, method }) })),
    // Paths
    ...(op.pathParams.length > 0
      ? [fc.tuple(fc.constantFrom(...op.pathParams), hostileSegment).map(([name, segment]) => rebuild('path: a parameter replaced', (p) => ({ params: { ...p.params, [name]: segment } })))]
      : []),
    fc.constantFrom('/', '//', '/x', '/%', '/%zz', '/..', '/%2e%2e/%2e%2e/etc/passwd', '?', '#x').map((suffix): Mutation => ({
      label: 'path: a suffix',
      apply: (req) => {
        const [path, query] = req.path.split('?');
        return { ...req, path: `${path}${suffix}${query ? `?${query}` : ''}` };
      },
    })),
    // Queries
    fc.tuple(fc.oneof(fc.constantFrom(...op.query.map((q) => q.name), 'pageToken', 'pageSize', 'x'), fc.string({ maxLength: 10 })), hostileValue).map(([name, value]) =>
      rebuild('query: a parameter replaced', (p) => ({ query: { ...p.query, [name]: value } })),
    ),
    fc.constantFrom('0x10', '1e2', '+5', '5.0', ' 5', '٥', '99999999999999999999', '-0').map((n) => rebuild('query: a number not in decimal', (p) => ({ query: { ...p.query, pageSize: n, limit: n, amount: n } }))),
    fc.oneof(fc.base64String({ maxLength: 200 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '')), fc.constantFrom('A', 'AAAA', 'x'.repeat(2001))).map((token) =>
      rebuild('query: a forged page token', (p) => ({ query: { ...p.query, pageToken: token } })),
    ),
    fc.constant(rebuild('query: a parameter repeated', (p) => ({ query: Object.fromEntries(Object.entries(p.query).map(([k, v]) => [k, [v, v]])) }))),
  ];
  return fc.oneof(...mutations.map((arbitrary, i) => ({ arbitrary, weight: i === 0 ? 4 : 1 })));
}

/** A request for some operation: valid, then mutated (or not). Printed, when it fails, as `describeRequest` writes it. */
export function requestArb(operations: Operation[], world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((op) =>
    fc.tuple(partsArb(op, world), mutationArb(op, world)).map(([parts, mutation]) => {
      const req: FuzzRequest = { ...mutation.apply(build(op, parts), parts), mutation: mutation.label };
      return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
    }),
  );
}

// ---- sending and judging ----------------------------------------------------------------------

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export type Verdict = { ok: true } | { ok: false; kind: 'serverError' | 'hang' | 'notProblem'; why: string };

/** The app on a real socket, with a client that sends requests as they are. */
export async function listen(app: Express): Promise<{ send(req: FuzzRequest, timeoutMs: number): Promise<Answer | 'hang'>; close(): Promise<void> }> {
  const server = httpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    send: (req, timeoutMs) =>
      new Promise((resolve, reject) => {
        const headers = { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) };
        const outgoing = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        });
        const timer = setTimeout(() => {
          outgoing.destroy();
          resolve('hang');
        }, timeoutMs);
        outgoing.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        outgoing.end(req.body);
      }),
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** No 5xx, an answer within the bound, and every error a problem: type, title, status, detail and code. */
export function judge(req: FuzzRequest, answer: Answer | 'hang'): Verdict {
  if (answer === 'hang') return { ok: false, kind: 'hang', why: 'no answer within the bound' };
  if (answer.status >= 500) return { ok: false, kind: 'serverError', why: `${answer.status} ${answer.body.slice(0, 300)}` };
  if (answer.status < 400 || req.method === 'HEAD') return { ok: true };
  if (!answer.contentType.startsWith('application/problem+json')) return { ok: false, kind: 'notProblem', why: `${answer.status} as ${answer.contentType}: ${answer.body.slice(0, 200)}` };
  try {
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    const shaped = ['type', 'title', 'detail', 'code'].every((k) => typeof problem[k] === 'string') && problem.status === answer.status;
    return shaped ? { ok: true } : { ok: false, kind: 'notProblem', why: `${answer.status} without the problem members: ${answer.body.slice(0, 200)}` };
  } catch {
    return { ok: false, kind: 'notProblem', why: `${answer.status} whose body is not JSON: ${answer.body.slice(0, 200)}` };
  }
}

export interface FuzzFigures {
  requests: number;
  byStatus: Map<number, number>;
  serverErrors: number;
  hangs: number;
  notProblems: number;
  /** The first few failures, with what was sent. */
  failures: { request: string; verdict: Verdict }[];
}

export function emptyFigures(): FuzzFigures {
  return { requests: 0, byStatus: new Map(), serverErrors: 0, hangs: 0, notProblems: 0, failures: [] };
}

/** What was sent, in a line a developer can replay with curl. */
export function describeRequest(req: FuzzRequest): string {
  const body = req.body ? ` body=${JSON.stringify(req.body.toString('utf8').slice(0, 300))}` : '';
  const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}…` : v}`).join(' | ');
  return `[${req.operation} / ${req.mutation}] ${req.method} ${req.path.slice(0, 300)} {${headers}}${body}`;
}

export function record(figures: FuzzFigures, req: FuzzRequest, answer: Answer | 'hang', verdict: Verdict): void {
  figures.requests += 1;
  if (answer !== 'hang') figures.byStatus.set(answer.status, (figures.byStatus.get(answer.status) ?? 0) + 1);
  if (verdict.ok) return;
  if (verdict.kind === 'serverError') figures.serverErrors += 1;
  if (verdict.kind === 'hang') figures.hangs += 1;
  if (verdict.kind === 'notProblem') figures.notProblems += 1;
  if (figures.failures.length < 20) figures.failures.push({ request: describeRequest(req), verdict });
}

export function formatFigures(figures: FuzzFigures, seconds: number): string {
  const statuses = [...figures.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  return [
    `requests                ${figures.requests} in ${seconds.toFixed(1)} s (${(figures.requests / seconds).toFixed(0)}/s)`,
    `5xx answers             ${figures.serverErrors}`,
    `hangs (no answer)       ${figures.hangs}`,
    `errors not problem+json ${figures.notProblems}`,
    `answers by status       ${statuses}`,
  ].join('\n');
}
