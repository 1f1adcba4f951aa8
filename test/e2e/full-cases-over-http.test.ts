/**
 * The whole-case paths that the cluster test and the crash tests drive
 * (test/support/full-cases.ts), on the one-process stack: each jurisdiction's
 * path is still a valid procedure, from opening to a closed case, over HTTP.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_AUTHORITIES } from '../../config/authorities';
import { documentFile, documentsOfCase } from '../../store/documents';
import { docxText } from '../support/docx';
import { FULL_PATHS, FULL_PATH_JURISDICTIONS, runFullCase, type FullCaseApi } from '../support/full-cases';
import { recordHistory } from '../support/histories';
import { startStack, type Stack } from '../support/stack';

/** The replay fixtures these paths record (RECORD_HISTORIES=1): an appeal filed before execution and revised; the correction list issued with the feedback. */
const FIXTURES: Record<string, string> = { binhai: 'binhai-revised-on-appeal-filed-before-execution', yangjiang: 'yangjiang-correction-list-with-feedback' };

let stack: Stack;
let server: Server;
let api: FullCaseApi;

beforeAll(async () => {
  stack = await startStack();
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sign: (claims) => stack.token(claims) };
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

describe('the full path of each jurisdiction', () => {
  it.each(FULL_PATH_JURISDICTIONS)('%s: opened over HTTP, every step taken once offered, closed with its outcome and documents', async (jurisdiction) => {
    const path = FULL_PATHS[jurisdiction]!;
    const { state } = await runFullCase(api, jurisdiction);
    expect(state).toMatchObject({ jurisdiction, authority: path.authority, closed: true, outcome: path.outcome });
    expect(state.documents.map((d) => d.kind)).toEqual(path.documents);
    if (FIXTURES[jurisdiction]) await recordHistory(FIXTURES[jurisdiction], stack.env.client.workflow.getHandle(state.caseId));
    // Every document names bodies by their names, the authority's own among them, and no body by its id (GB/T 9704 7.2.4, 7.3.5).
    const issuer = DEFAULT_AUTHORITIES.authorities.find((a) => a.id === path.authority)!;
    for (const document of await documentsOfCase(stack.db, state.caseId)) {
      const text = docxText((await documentFile(stack.db, document.documentId))!.bytes);
      expect([document.kind, text]).toEqual([document.kind, expect.stringContaining(issuer.name)]);
      for (const { id } of DEFAULT_AUTHORITIES.authorities) expect([document.kind, text]).toEqual([document.kind, expect.not.stringContaining(id)]);
    }
  });
});

