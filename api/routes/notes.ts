/**
 * Staff-only notes on a case (store/case-notes.ts): officers and supervisors
 * of the case's authority write them, every staff role of it reads them,
 * nobody recused from the case does either, and no party ever sees one
 * (api/routes/party.ts has no way to them, and no document is written from
 * them). A note on a closed case is refused (409): the case file is closed.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { addCaseNote, notesOfCase } from '../../store/case-notes';
import type { Db } from '../../store/db';
import { readableCase } from '../case-access';
import { Problem } from '../problem';
import { route, type RouteSpec } from '../registry';
import { NOTE_WRITERS, ROLES } from '../roles';
import { caseIdParams, text } from '../schemas';

const problem = (description: string) => ({ description, schema: 'problem' as const });
export const noteBody = z.object({ text: text(5000) }).strict();

export function noteRoutes(deps: { db: Db; client: Client; stepWaitMs?: number | undefined }): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/v1/cases/{id}/notes',
      operationId: 'recordNote',
      summary: '办案备注 Add a staff-only note to the case: kept with its author and time, never changed, never shown to a party or served',
      tags: ['notes'],
      access: { kind: 'roles', roles: [...NOTE_WRITERS] },
      write: true,
      params: caseIdParams,
      body: noteBody,
      responses: {
        201: { description: 'The note as kept' },
        400: problem('Invalid body'),
        403: problem('Not an officer or supervisor, or recused from the case'),
        404: problem('No such case for this caller'),
        409: problem('The case is closed'),
      },
      async authorize({ params, user, res }) {
        res.locals.caseId = params.id;
        const state = await readableCase(deps, params.id, user);
        if (state.closed) throw new Problem({ status: 409, code: 'case_closed', title: 'Case closed', detail: { zh: `案件 ${params.id} 已终结，不能再添加备注`, en: `Case ${params.id} is closed; no note can be added` } });
      },
      async handle({ params, body, user, res }) {
        const state = await readableCase(deps, params.id, user);
        const note = await addCaseNote(deps.db, { caseId: params.id, authority: state.authority, author: { sub: user.sub, name: user.name }, text: body.text });
        res.status(201).json(note);
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{id}/notes',
      operationId: 'listCaseNotes',
      summary: 'The case’s staff-only notes, oldest first',
      tags: ['notes'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: caseIdParams,
      audit: { event: 'NOTES_ACCESSED' },
      responses: { 200: { description: 'The notes' }, 403: problem('Recused from the case'), 404: problem('No such case for this caller') },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        await readableCase(deps, params.id, user);
        res.json({ notes: await notesOfCase(deps.db, params.id) });
      },
    }),
  ];
}
