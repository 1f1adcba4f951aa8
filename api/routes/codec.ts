/**
 * The codec endpoint of the Temporal UI's remote codec protocol, so ops read
 * decrypted histories in the UI while Temporal stores only ciphertext:
 * `POST /codec/decode` and `POST /codec/encode`, each taking and answering
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (Payloads in
 * proto3 JSON). The UI calls it from the browser, so CORS admits the UI's
 * origin and no other. A decode needs an auditor's or an admin's token (the
 * UI passes on its user's access token with TEMPORAL_CODEC_PASS_ACCESS_TOKEN);
 * only the UI that `npm start` runs on loopback, which has no sign-in, may
 * decode without one (CODEC_AUTH=none). Encoding, which lets a caller put
 * data into a case, is for admins. Every decode is logged with who asked
 * and which cases the payloads belong to, never with the payloads.
 */
import type { Client } from '@temporalio/client';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CASE_ID_PATTERN } from '../../domain/case/contract';
import { fieldsProblem, Problem } from '../problem';
import { route, type Access, type RouteSpec } from '../registry';

export interface CodecRoutesDeps {
  client: Client;
  namespace: string;
  logger: Logger;
  /** Decode without a token: only for the embedded UI on loopback (CODEC_AUTH=none). */
  anonymousDecode?: boolean | undefined;
}

export const CODEC_PATH = '/codec';

const base64 = z.string().max(4_000_000).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const payloadJson = z
  .object({
    metadata: z.record(z.string().max(256), base64).nullish(),
    data: base64.nullish(),
  })
  .loose();
const payloadsBody = z.object({ payloads: z.array(payloadJson).max(10_000) });
type PayloadJson = z.infer<typeof payloadJson>;

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const fromJson = (p: PayloadJson): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, bytes(v)])),
  data: bytes(p.data ?? ''),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** Runs every payload through the codecs on its own, so a payload that cannot be read is named by its index. */
async function transform(codecs: PayloadCodec[], payloads: PayloadJson[], direction: 'encode' | 'decode'): Promise<Payload[]> {
  const chain = direction === 'encode' ? codecs : [...codecs].reverse();
  const errors: { field: string; message: string }[] = [];
  const results = await Promise.all(
    payloads.map(async (p, i) => {
      try {
        let current = [fromJson(p)];
        for (const codec of chain) current = await codec[direction](current);
        return current[0]!;
      } catch (err) {
        errors.push({ field: `body.payloads.${i}`, message: (err as Error).message });
        return undefined;
      }
    }),
  );
  if (errors.length > 0) {
    const problem = fieldsProblem(errors.sort((a, b) => a.field.localeCompare(b.field, 'en', { numeric: true })));
    throw new Problem({ ...problem.init, code: direction === 'decode' ? 'undecodable_payload' : 'unencodable_payload' });
  }
  return results as Payload[];
}

/** The cases decoded payloads belong to, where a payload says (a case's input and state, activity requests carry `caseId`). */
function casesOf(payloads: Payload[]): string[] {
  const cases = new Set<string>();
  for (const p of payloads) {
    if (Buffer.from(p.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() !== 'json/plain') continue;
    try {
      const value = JSON.parse(Buffer.from(p.data ?? []).toString('utf8')) as { caseId?: unknown };
      if (typeof value?.caseId === 'string' && CASE_ID_PATTERN.test(value.caseId)) cases.add(value.caseId);
    } catch {
      // Not JSON after all: nothing to name.
    }
  }
  return [...cases];
}

/** CORS for the codec routes: the Temporal UI's origin, with the headers its codec client sends. */
export function codecCors(uiOrigin: string | undefined): RequestHandler {
  return cors({
    origin: uiOrigin ? [uiOrigin] : false,
    methods: ['POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
    credentials: true,
    maxAge: 600,
  });
}

export function codecRoutes(deps: CodecRoutesDeps): RouteSpec[] {
  const codecs = () => deps.client.options.loadedDataConverter.payloadCodecs;
  const checkNamespace = (header: string | undefined) => {
    if (header !== undefined && header !== deps.namespace) {
      throw fieldsProblem([{ field: 'header.x-namespace', message: `this codec serves namespace ${deps.namespace} only` }]);
    }
  };
  const problem = (description: string) => ({ description, schema: 'problem' as const });
  const answer = { description: 'The payloads, in the order given', schema: payloadsBody };
  const decodeAccess: Access = deps.anonymousDecode ? { kind: 'public' } : { kind: 'roles', roles: ['auditor', 'admin'] };
  const namespaceHeader = [{ name: 'X-Namespace', description: `The Temporal namespace; this codec serves ${deps.namespace}` }];

  return [
    route({
      method: 'post',
      path: `${CODEC_PATH}/decode`,
      operationId: 'decodePayloads',
      summary: 'Decrypt payloads for the Temporal UI (remote codec protocol)',
      description: deps.anonymousDecode
        ? 'Without a token: this API runs embedded on loopback for the development UI, which has no sign-in (CODEC_AUTH=none).'
        : 'Auditors and admins; the Temporal UI passes its user’s access token. Every call is logged with the caller and the cases decoded.',
      tags: ['operations'],
      access: decodeAccess,
      body: payloadsBody,
      headers: namespaceHeader,
      responses: { 200: answer, 400: problem('Not Payloads JSON, another namespace, or a payload that cannot be decrypted (named by index)'), 403: problem('Only auditors and admins decode') },
      async handle({ req, res, body }) {
        checkNamespace(req.get('x-namespace'));
        const decoded = await transform(codecs(), body.payloads, 'decode');
        const cases = casesOf(decoded);
        if (cases.length === 1) res.locals.caseId = cases[0];
        deps.logger.info(
          { user: req.user?.sub ?? 'anonymous (CODEC_AUTH=none)', roles: req.user?.roles, authority: req.user?.authority, origin: req.get('origin'), payloads: decoded.length, cases },
          'payloads decoded',
        );
        res.json({ payloads: decoded.map(toJson) });
      },
    }),
    route({
      method: 'post',
      path: `${CODEC_PATH}/encode`,
      operationId: 'encodePayloads',
      summary: 'Encrypt payloads for the Temporal UI (remote codec protocol)',
      description: 'Admins only: an encoded payload can be sent into a case from the UI.',
      tags: ['operations'],
      access: { kind: 'roles', roles: ['admin'] },
      write: true,
      body: payloadsBody,
      headers: namespaceHeader,
      responses: { 200: answer, 400: problem('Not Payloads JSON, or another namespace'), 403: problem('Only admins encode') },
      async handle({ req, res, body, user }) {
        checkNamespace(req.get('x-namespace'));
        const encoded = await transform(codecs(), body.payloads, 'encode');
        deps.logger.info({ user: user.sub, roles: user.roles, authority: user.authority, origin: req.get('origin'), payloads: encoded.length }, 'payloads encoded');
        res.json({ payloads: encoded.map(toJson) });
      },
    }),
  ];
}
