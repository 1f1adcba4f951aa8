/**
 * The things of a real stack the fuzzer's valid requests name: cases of two
 * authorities, a step's update id, an issued document, a notice in a user's
 * inbox, and tokens of each kind of user.
 */
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { stepUpdateId } from '../../services/cases/idempotency';
import { eventually } from '../support/eventually';
import type { Stack } from '../support/stack';
import { forgeTokens, operationsOf, type FuzzWorld, type Operation } from './requests';

export async function prepareWorld(stack: Stack): Promise<{ world: FuzzWorld; operations: Operation[] }> {
  const today = beijingDate(Date.now());
  const officer = { roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'fuzz-officer', name: '模糊测试' };
  const yjOfficer = { roles: ['officer', 'supervisor'], authority: 'yangjiang-jw', sub: 'fuzz-yj', name: '模糊测试' };
  const subject = { roles: ['auditor'], authority: 'yangjiang-jw', sub: 'fuzz-subject', name: '陈某' };
  const people = [
    officer,
    yjOfficer,
    subject,
    { roles: ['auditor'], authority: 'binhai-jw', sub: 'fuzz-auditor', name: '审计' },
    { roles: ['admin'], authority: 'binhai-jw', sub: 'fuzz-admin', name: '管理' },
    { roles: ['system-admin'], authority: 'binhai-jw', sub: 'fuzz-system', name: '系统' },
  ];
  const tokens = await Promise.all(people.map(async (p) => ({ roles: p.roles, authority: p.authority, token: await stack.token(p) })));
  const auth = (i: number) => ({ Authorization: `Bearer ${tokens[i]!.token}`, 'Accept-Language': 'en' });

  const binhai = await request(stack.app)
    .post('/v1/cases')
    .set(auth(0))
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '改革试点中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕1号' }, eventDate: today })
    .expect(201);
  const yangjiang = await request(stack.app)
    .post('/v1/cases')
    .set(auth(1))
    .send({
      jurisdiction: 'yangjiang', route: 'application', level: 'county', raisedItems: ['审批程序简化'],
      subject: { name: '陈某', organisation: '某镇政府' }, matter: '征地补偿中的程序问题', accountability: { reference: '阳纪问〔2026〕1号' }, eventDate: today,
    })
    .expect(201);
  const caseIds = [binhai.body.id as string, yangjiang.body.id as string];

  /** Jest's expect is not there when `npm run fuzz` runs this. */
  const check = (holds: boolean, what: string) => {
    if (!holds) throw new Error(`fuzz set-up: ${what}`);
  };
  /** Takes a step once the case offers it. */
  const act = async (who: number, caseId: string, action: string, body: object, key?: string) => {
    await eventually(async () => {
      const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(who));
      check(res.body.availableActions?.some((a: { name: string }) => a.name === action), `${caseId} offers ${action}`);
    });
    let req = request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set(auth(who));
    if (key) req = req.set('Idempotency-Key', key);
    await req.send(body).expect(200);
  };
  await act(0, caseIds[0]!, 'recordRecusal', { person: { name: '赵某' }, reason: '亲属关系' }, 'fuzz-step-1');
  await act(1, caseIds[1]!, 'bindSubjectAccount', { userId: subject.sub });
  await act(1, caseIds[1]!, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '书面申诉' });
  await act(1, caseIds[1]!, 'decideAcceptance', { accepted: true, decidedOn: today });

  const documentIds = await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseIds[1]}/documents`).set(auth(1)).expect(200);
    check(res.body.documents.length > 0, 'the acceptance notice is issued');
    return res.body.documents.map((d: { documentId: string }) => d.documentId) as string[];
  }, 60_000);
  const noticeIds = await eventually(async () => {
    const res = await request(stack.app).get('/v1/inbox').set(auth(2)).expect(200);
    check(res.body.notices.length > 0, 'the subject has a notice');
    return res.body.notices.map((n: { id: string }) => n.id) as string[];
  }, 30_000);

  const document = (await request(stack.app).get('/openapi.json').expect(200)).body as Record<string, unknown>;
  return {
    operations: operationsOf(document),
    world: {
      // A case id that names no case, too.
      cases: [
        { id: caseIds[0]!, authority: 'binhai-jw' },
        { id: caseIds[1]!, authority: 'yangjiang-jw' },
        { id: 'case-binhai-2026-9999', authority: 'binhai-jw' },
      ],
      documentIds: [...documentIds, '00000000-0000-4000-8000-000000000000'],
      noticeIds: [...noticeIds, '00000000-0000-4000-8000-000000000000'],
      updateIds: [stepUpdateId(officer.authority, officer.sub, 'fuzz-step-1'), 'step-00000000-0000-4000-8000-000000000000'],
      tokens,
      forgedTokens: await forgeTokens(stack.secret),
      today,
    },
  };
}
