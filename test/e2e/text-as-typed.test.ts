/**
 * Text that stays what it says, on a real stack: every text field refuses
 * bidirectional controls, zero-width and other invisible or control
 * characters (line breaks only where the field holds prose), naming the
 * field and the character; and Chinese text is kept as the officer typed it,
 * full-width punctuation and all, in the stored case, the case page and the
 * 免责决定书, while names are still compared normalised where they are compared.
 */
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { docxText } from '../support/docx';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let officer: string;
const today = beijingDate(Date.now());
const opening = {
  jurisdiction: 'binhai',
  subject: { name: '王某', organisation: '某街道党工委' },
  matter: '老旧小区改造中的程序瑕疵',
  accountability: { reference: '滨纪问〔2026〕30号' },
  eventDate: today,
};

beforeAll(async () => {
  stack = await startStack();
  officer = `Bearer ${await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'text-officer', name: '李办案' })}`;
});
afterAll(() => stack?.stop());

const openCase = (body: object) => request(stack.app).post('/v1/cases').set('Authorization', officer).set('Accept-Language', 'en').send(body);

async function act(caseId: string, action: string, body: object) {
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', officer);
    expect(res.body.availableActions.map((a: { name: string }) => a.name)).toContain(action);
  });
  return request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set('Authorization', officer).set('Accept-Language', 'en').send(body);
}

describe('a text field', () => {
  it.each([
    ['a right-to-left override', '\u202e', 'U+202E (a bidirectional control)'],
    ['a left-to-right isolate', '\u2066', 'U+2066 (a bidirectional control)'],
    ['a right-to-left mark', '\u200f', 'U+200F (a bidirectional control)'],
    ['a zero-width space', '\u200b', 'U+200B (a zero-width character)'],
    ['a zero-width joiner', '\u200d', 'U+200D (a zero-width character)'],
    ['a byte-order mark', '\ufeff', 'U+FEFF (a zero-width character)'],
    ['a soft hyphen', '\u00ad', 'U+00AD (an invisible character)'],
    ['a Hangul filler', '\u3164', 'U+3164 (an invisible character)'],
    ['a tab', '\t', 'U+0009 (a control character)'],
    ['an escape', '\u001b', 'U+001B (a control character)'],
    ['a line break in a one-line field', '\n', 'U+000A (a line break, in a field of one line)'],
    ['a line separator', '\u2028', 'U+2028 (a line break, in a field of one line)'],
  ])('refuses %s with 400 naming the field and the character', async (_label, char, named) => {
    const res = await openCase({ ...opening, subject: { ...opening.subject, organisation: `某街道${char}党工委` }, accountability: { reference: `滨纪问${char}〔2026〕30号` } });
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    expect(res.body.errors).toEqual([
      { field: 'body.subject.organisation', message: `must not contain ${named}` },
      { field: 'body.accountability.reference', message: `must not contain ${named}` },
    ]);
  });

  it('refuses them in a step’s text too, and in the matter, name, position and body', async () => {
    const res = await openCase({
      ...opening,
      subject: { name: '王\u200b某', organisation: '某街道党工委', position: '副\u202e主任' },
      matter: '老旧小区\u2067改造',
      accountability: { reference: '滨纪问〔2026〕30号', body: '区纪委\u2060监委' },
    });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.subject.name', 'body.subject.position', 'body.matter', 'body.accountability.body']);
    const caseId = (await openCase(opening).expect(201)).body.id as string;
    const step = await act(caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请\u202e容错免责' });
    expect([step.status, step.body.errors]).toEqual([400, [{ field: 'body.summary', message: 'must not contain U+202E (a bidirectional control)' }]]);
  });

  it('keeps line breaks where the field holds prose, and refuses them where it is one line', async () => {
    const caseId = (await openCase(opening).expect(201)).body.id as string;
    const recusal = await act(caseId, 'recordRecusal', { person: { name: '赵\n某' }, reason: '亲属关系：\n其配偶系被调查对象之妹' });
    expect([recusal.status, recusal.body.errors]).toEqual([400, [{ field: 'body.person.name', message: 'must not contain U+000A (a line break, in a field of one line)' }]]);
    const filed = await act(caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '一、基本情况。\r\n二、事实与依据。\n三、建议。' });
    expect(filed.status).toBe(200);
    expect(filed.body.application.summary).toBe('一、基本情况。\r\n二、事实与依据。\n三、建议。');
  });

  it('takes variation selectors, which write a rare character of a name', async () => {
    // 葛 with an ideographic variation selector (U+E0100), as a register of names may write it.
    const res = await openCase({ ...opening, subject: { ...opening.subject, name: '葛\u{E0100}某' } });
    expect(res.status).toBe(201);
  });
});

describe('Chinese text, kept as typed', () => {
  const matter = '在（老旧小区）改造中，简化程序：先行先试；未造成损失';
  let caseId: string;

  it('stores and shows the matter with the full-width punctuation the officer typed', async () => {
    caseId = (await openCase({ ...opening, matter, subject: { ...opening.subject, name: '王　某' } }).expect(201)).body.id as string;
    const shown = await eventually(async () => {
      const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', officer).expect(200);
      expect(res.body.freshness.source).toBe('caseView');
      return res.body;
    });
    expect(shown.matter).toBe(matter);
    expect(shown.subject.name).toBe('王　某');
    const listed = await eventually(async () => {
      const res = await request(stack.app).get('/v1/cases').query({ q: '老旧小区' }).set('Authorization', officer).expect(200);
      const row = (res.body.cases as { id: string; matter: string }[]).find((c) => c.id === caseId);
      expect(row).toBeDefined();
      return row!;
    });
    expect(listed.matter).toBe(matter);
  });

  it('finds it by words written in full-width or half-width alike', async () => {
    const words = await openCase({ ...opening, matter: 'ＰＰＰ项目（二期）中的审批瑕疵' }).expect(201);
    for (const q of ['PPP项目', 'ＰＰＰ项目', 'ppp']) {
      await eventually(async () => {
        const res = await request(stack.app).get('/v1/cases').query({ q }).set('Authorization', officer).expect(200);
        expect([q, res.body.cases.map((c: { id: string }) => c.id)]).toEqual([q, expect.arrayContaining([words.body.id])]);
      });
    }
  });

  it('prints it so in the 免责决定书, with no invisible character in any document', async () => {
    expect((await act(caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责：事实、依据与建议' })).status).toBe(200);
    const group = { appointedOn: today, members: [{ name: '陈调查', declaresNoConflict: true }, { name: '刘调查', declaresNoConflict: true }] };
    expect((await act(caseId, 'appointInvestigationGroup', group)).status).toBe(200);
    expect((await act(caseId, 'recordStatement', { receivedOn: today, summary: '本人陈述', form: 'interviewRecord' })).status).toBe(200);
    const report = { submittedOn: today, findings: '先行先试，因缺乏改革样板出现程序瑕疵', recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] };
    expect((await act(caseId, 'submitInvestigationReport', report)).status).toBe(200);
    const determination = {
      decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [],
      reasons: '符合第六条（三）情形；未发现第八条不予免责情形', complex: false,
    };
    expect((await act(caseId, 'recordDetermination', determination)).status).toBe(200);
    expect((await act(caseId, 'recordFiling', { filedOn: today })).status).toBe(200);
    const decision = await eventually(async () => {
      const res = await request(stack.app).get(`/v1/cases/${caseId}/documents`).set('Authorization', officer).expect(200);
      const found = (res.body.documents as { kind: string; href: string }[]).find((d) => d.kind === 'exemptionDecision');
      expect(found).toBeDefined();
      return found!;
    }, 60_000);
    const file = await request(stack.app).get(decision.href).set('Authorization', officer).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(file.status).toBe(200);
    const text = docxText(file.body as Buffer);
    expect(text).toContain(matter);
    expect(text).toContain('王　某');
    expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]/);
  });
});
