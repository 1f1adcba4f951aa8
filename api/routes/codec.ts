/**
 * The codec endpoint of the Temporal UI's remote codec protocol, so ops read
 * decrypted histories in the UI while Temporal stores only ciphertext:
 * `POST /codec/decode`, taking and answering `{ payloads: [{ metadata: { key:
 * base64 }, data: base64 }] }` (Payloads in proto3 JSON). The UI calls it
 * from the browser, so CORS admits the UI's origin and no other.
 *
 * A payload is decoded only for a caller who may read the case it belongs
 * to: an auditor or admin of the case's authority, not recused from it, as
 * the API's own case authorisation decides (api/case-access.ts). A payload
 * names the workflow it was sealed for (services/codec/codec.ts), so that is
 * asked before it is opened; one sealed before payloads named it is opened,
 * then judged by the case its content names. A payload of a workflow that is
 * not a case (the calendar's propagation) is for the system administrator.
 * The UI passes on its user's access token (TEMPORAL_CODEC_PASS_ACCESS_TOKEN);
 * only the UI that `npm start` runs on loopback, which has no sign-in, may
 * decode without one (CODEC_AUTH=none), and only from its own origin or
 * from no browser at all (the CLI).
 *
 * Decoding is bounded: at most MAX_DECODE_PAYLOADS payloads a request, each
 * inflating to at most MAX_PAYLOAD_PLAIN_BYTES and all of them together to
 * MAX_DECODE_PLAIN_BYTES, opened one after another, so no request can take
 * the process's memory (413 beyond). Errors never name a payload key.
 *
 * There is no /codec/encode: a payload sealed for the UI could be sent into a
 * case as a step, and only the API takes steps.
 *
 * Every decode is logged with who asked (or, without a token, from which
 * origin) and which cases the payloads belong to, never with the payloads.
 */
import type { Client } from '@temporalio/client';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CASE_ID_PATTERN } from '../../domain/case/contract';
import { boundWorkflowOf, ENCODING_ENCRYPTED, encryptionCodecOf, PayloadKeyMissing, PayloadTooLarge, PayloadUndecryptable } from '../../services/codec/codec';
import type { Queryable } from '../../store/db';
import type { User } from '../auth';
import { readableCase } from '../case-access';
import { fieldsProblem, Problem } from '../problem';
import { route, type RouteSpec } from '../registry';

export interface CodecRoutesDeps {
  client: Client;
  db: Queryable;
  namespace: string;
  logger: Logger;
  stepWaitMs?: number | undefined;
  /** Decode without a token: only for the embedded UI on loopback (CODEC_AUTH=none). */
  anonymousDecode?: boolean | undefined;
  /** The Temporal UI's origin: without a token, the only browser origin decoded for. */
  temporalUiOrigin?: string | undefined;
}

export const CODEC_PATH = '/codec';
/** Payloads one request may decode: the UI sends an event's payloads at once, a handful. */
export const MAX_DECODE_PAYLOADS = 100;
/** How large one payload may inflate: far above a case's largest payload, its state, at some tens of kilobytes. */
export const MAX_PAYLOAD_PLAIN_BYTES = 4 * 1024 * 1024;
/** How large a request's payloads may inflate together. */
export const MAX_DECODE_PLAIN_BYTES = 16 * 1024 * 1024;

/** Who reads a case's payloads; the system administrator reads those of workflows that are no case's. */
const CASE_READERS = ['auditor', 'admin'] as const;
const SYSTEM_READERS = ['system-admin'] as const;

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
const encodingOf = (p: Payload) => Buffer.from(p.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();
const sizeOf = (p: Payload) => (p.data?.byteLength ?? 0) + Object.values(p.metadata ?? {}).reduce((n, v) => n + (v?.byteLength ?? 0), 0);

/** The case a decoded payload names, where it says (a case's input and state, activity requests carry `caseId`). */
function caseNamedIn(p: Payload): string | undefined {
  if (encodingOf(p) !== 'json/plain') return undefined;
  try {
    const value = JSON.parse(Buffer.from(p.data ?? []).toString('utf8')) as { caseId?: unknown };
    return typeof value?.caseId === 'string' && CASE_ID_PATTERN.test(value.caseId) ? value.caseId : undefined;
  } catch {
    return undefined; // Not JSON after all: nothing to name.
  }
}

const tooLarge = (detail: { zh: string; en: string }, field: string) =>
  new Problem({ status: 413, code: 'payload_too_large', title: 'Payload too large', detail, errors: [{ field, message: detail.en }] });

/** Why a payload is not decoded for this caller: the same words whether the case is another authority's, none, or one the caller is recused from. */
const notYours = (index: number, reason: 'case' | 'system') =>
  new Problem({
    status: 403,
    code: 'codec_forbidden',
    title: 'Forbidden',
    detail:
      reason === 'case'
        ? { zh: `第 ${index} 项数据属于您无权查阅的案件`, en: `Payload ${index} belongs to a case you may not read` }
        : { zh: `第 ${index} 项数据不属于任何案件，只有系统管理员可以查看`, en: `Payload ${index} belongs to no case; only the system administrator reads it` },
    errors: [{ field: `body.payloads.${index}`, message: reason === 'case' ? 'belongs to a case you may not read' : 'belongs to no case: system-admin only' }],
  });

/** What is wrong with a payload that does not open, in words that never name a payload key. */
function undecodable(err: unknown): string {
  if (err instanceof PayloadKeyMissing) return 'encrypted with a payload key this service does not hold';
  if (err instanceof PayloadUndecryptable) return 'does not decrypt: altered, or not sealed by this system';
  throw err;
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
  const codec = () => {
    const found = encryptionCodecOf(deps.client.options.loadedDataConverter);
    if (!found) throw new Error('the client has no payload encryption codec');
    return found;
  };
  const checkNamespace = (header: string | undefined) => {
    if (header !== undefined && header !== deps.namespace) {
      throw fieldsProblem([{ field: 'header.x-namespace', message: `this codec serves namespace ${deps.namespace} only` }]);
    }
  };
  const problem = (description: string) => ({ description, schema: 'problem' as const });
  const answer = { description: 'The payloads, in the order given', schema: payloadsBody };
  const namespaceHeader = [{ name: 'X-Namespace', description: `The Temporal namespace; this codec serves ${deps.namespace}` }];

  /** May this caller read what the payload at `index` holds, sealed for `workflowId`? Asked once per case a request names. */
  const authoriser = (user: User | undefined) => {
    const cases = new Map<string, Promise<boolean>>();
    return async (index: number, workflowId: string | undefined) => {
      if (!user) return; // CODEC_AUTH=none: the embedded UI on loopback.
      if (workflowId === undefined || !CASE_ID_PATTERN.test(workflowId)) {
        if (!user.roles.some((r) => (SYSTEM_READERS as readonly string[]).includes(r))) throw notYours(index, 'system');
        return;
      }
      if (!user.roles.some((r) => (CASE_READERS as readonly string[]).includes(r))) throw notYours(index, 'case');
      if (!cases.has(workflowId)) {
        cases.set(
          workflowId,
          readableCase(deps, workflowId, user).then(
            () => true,
            (err: unknown) => {
              // Another authority's case, none, or one the caller is recused from; anything else (Temporal away) is the answer.
              if (err instanceof Problem && [403, 404].includes(err.init.status)) return false;
              throw err;
            },
          ),
        );
      }
      if (!(await cases.get(workflowId))) throw notYours(index, 'case');
    };
  };

  return [
    route({
      method: 'post',
      path: `${CODEC_PATH}/decode`,
      operationId: 'decodePayloads',
      summary: 'Decrypt payloads for the Temporal UI (remote codec protocol)',
      description: deps.anonymousDecode
        ? 'Without a token: this API runs embedded on loopback for the development UI, which has no sign-in (CODEC_AUTH=none); only from the UI’s origin or no browser.'
        : `Auditors and admins, for the cases of their authority they are not recused from; the system administrator, for payloads of no case. At most ${MAX_DECODE_PAYLOADS} payloads, each inflating to ${MAX_PAYLOAD_PLAIN_BYTES / 1024 / 1024} MiB and all to ${MAX_DECODE_PLAIN_BYTES / 1024 / 1024} MiB. Every call is logged with the caller and the cases decoded.`,
      tags: ['operations'],
      access: deps.anonymousDecode ? { kind: 'public' } : { kind: 'roles', roles: [...CASE_READERS, ...SYSTEM_READERS] },
      body: payloadsBody,
      headers: namespaceHeader,
      // One record per case whose payloads were asked for (res.locals.auditCases), or one of no case.
      audit: { event: 'PAYLOADS_DECODED' },
      responses: {
        200: answer,
        400: problem('Not Payloads JSON, another namespace, or a payload that cannot be decrypted (named by index)'),
        403: problem('Not an auditor or admin, or a payload of a case the caller may not read (named by index)'),
        413: problem(`More than ${MAX_DECODE_PAYLOADS} payloads, or payloads that inflate beyond the limits`),
      },
      async handle({ req, res, body }) {
        checkNamespace(req.get('x-namespace'));
        const origin = req.get('origin');
        if (deps.anonymousDecode && origin !== undefined && origin !== deps.temporalUiOrigin) {
          throw new Problem({ status: 403, code: 'codec_forbidden', title: 'Forbidden', detail: { zh: '未登录的解码只接受本机 Temporal UI 的请求', en: 'Without a token, only the embedded Temporal UI may decode' } });
        }
        if (body.payloads.length > MAX_DECODE_PAYLOADS) {
          throw tooLarge({ zh: `一次最多解码 ${MAX_DECODE_PAYLOADS} 项数据`, en: `At most ${MAX_DECODE_PAYLOADS} payloads a request` }, 'body.payloads');
        }
        const authorise = authoriser(req.user);
        const decoded: Payload[] = [];
        const errors: { field: string; message: string }[] = [];
        const cases = new Set<string>();
        let budget = MAX_DECODE_PLAIN_BYTES;
        // One after another: each payload inflates only once the one before it has been counted.
        for (const [index, json] of body.payloads.entries()) {
          const payload = fromJson(json);
          if (encodingOf(payload) !== ENCODING_ENCRYPTED) {
            decoded.push(payload); // Nothing sealed: the caller gave it in clear.
            continue;
          }
          const sealedFor = boundWorkflowOf(payload);
          // Logged whether or not it is decoded: a refusal names the case asked for too.
          if (sealedFor !== undefined && CASE_ID_PATTERN.test(sealedFor)) cases.add(sealedFor);
          res.locals.auditCases = [...cases];
          if (sealedFor !== undefined) await authorise(index, sealedFor);
          const limit = Math.min(MAX_PAYLOAD_PLAIN_BYTES, budget);
          const wholeRequest = tooLarge({ zh: `本次请求的数据解压后超过 ${MAX_DECODE_PLAIN_BYTES} 字节`, en: `The payloads inflate beyond ${MAX_DECODE_PLAIN_BYTES} bytes together` }, `body.payloads.${index}`);
          if (limit < 1) throw wholeRequest;
          let opened: Payload;
          try {
            opened = (await codec().open(payload, limit)).payload;
          } catch (err) {
            if (err instanceof PayloadTooLarge) {
              throw limit < MAX_PAYLOAD_PLAIN_BYTES
                ? wholeRequest
                : tooLarge({ zh: `第 ${index} 项数据解压后超过 ${MAX_PAYLOAD_PLAIN_BYTES} 字节`, en: `Payload ${index} inflates beyond ${MAX_PAYLOAD_PLAIN_BYTES} bytes` }, `body.payloads.${index}`);
            }
            errors.push({ field: `body.payloads.${index}`, message: undecodable(err) });
            decoded.push(payload);
            continue;
          }
          budget -= sizeOf(opened);
          const named = sealedFor ?? caseNamedIn(opened);
          // Sealed before payloads named their workflow: judged by the case its content names, else the system's.
          if (sealedFor === undefined) await authorise(index, named);
          if (named !== undefined && CASE_ID_PATTERN.test(named)) cases.add(named);
          decoded.push(opened);
        }
        if (errors.length > 0) throw new Problem({ ...fieldsProblem(errors).init, code: 'undecodable_payload' });
        if (cases.size === 1) res.locals.caseId = [...cases][0];
        res.locals.auditCases = [...cases];
        res.locals.auditDetail = { payloads: decoded.length };
        deps.logger.info(
          {
            user: req.user?.sub ?? 'anonymous (CODEC_AUTH=none)',
            roles: req.user?.roles,
            authority: req.user?.authority,
            origin: origin ?? 'none (not a browser)',
            ...(req.user ? {} : { uiOrigin: deps.temporalUiOrigin }),
            payloads: decoded.length,
            cases: [...cases],
          },
          'payloads decoded',
        );
        res.json({ payloads: decoded.map(toJson) });
      },
    }),
  ];
}
