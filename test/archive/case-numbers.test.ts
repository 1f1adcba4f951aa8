/**
 * Case numbers: each jurisdiction's numbers of a year run without a gap,
 * each number is given once, and a case is numbered together with the request
 * that opened it and its contacts, or not at all.
 */
import { caseWorkflowId } from '../../domain/case/contract';
import { findCaseContacts } from '../../store/case-contacts';
import { numberNewCase, type NewCase } from '../../store/case-numbers';
import { findCaseRequest } from '../../store/case-requests';
import type { Db } from '../../store/db';
import { openTestDb } from '../support/test-db';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

const officer = { authority: 'binhai-jw', sub: 'officer-1' };
const opening = (jurisdiction: string, year: number, key?: string): NewCase => ({
  jurisdiction,
  year,
  request: key ? { by: officer, key, bodySha256: `sha-of-${key}` } : undefined,
  contacts: { authority: officer.authority, responsible: { sub: officer.sub, name: '王五' }, subjectUserId: 'subject-1', addresses: { subject: { email: 'subject@example.cn' } } },
});

describe('case numbers', () => {
  it('names cases as caseWorkflowId does, past the fourth digit too', async () => {
    await db.query('insert into case_numbers (jurisdiction, year, last_number) values ($1, $2, $3)', ['hangzhou', 2031, 9_998]);
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push(await numberNewCase(db, opening('hangzhou', 2031)));
    expect(ids).toEqual([caseWorkflowId('hangzhou', 2031, 9_999), caseWorkflowId('hangzhou', 2031, 10_000), caseWorkflowId('hangzhou', 2031, 10_001)]);
    expect(ids[1]).toBe('case-hangzhou-2031-10000');
  });

  it('numbers each jurisdiction and year from 1, without a gap, when many open at once', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => numberNewCase(db, opening('binhai', 2030, `concurrent-${i}`))));
    expect([...ids].sort()).toEqual(Array.from({ length: 20 }, (_, i) => caseWorkflowId('binhai', 2030, i + 1)));
    expect(await numberNewCase(db, opening('binhai', 2031))).toBe(caseWorkflowId('binhai', 2031, 1));
  });

  it('saves the opening request and the contacts with the number', async () => {
    const id = await numberNewCase(db, opening('jiaozuo', 2030, 'with-everything'));
    expect(await findCaseRequest(db, officer, 'with-everything')).toEqual({ caseId: id, bodySha256: 'sha-of-with-everything' });
    expect(await findCaseContacts(db, id)).toEqual({
      caseId: id,
      authority: 'binhai-jw',
      responsible: { sub: 'officer-1', name: '王五' },
      subjectUserId: 'subject-1',
      addresses: { subject: { email: 'subject@example.cn' } },
    });
  });

  it('refuses a key its requester used before, and the number it would have taken goes to the next case', async () => {
    const first = await numberNewCase(db, opening('yangjiang', 2030, 'used-once'));
    await expect(numberNewCase(db, opening('yangjiang', 2030, 'used-once'))).rejects.toThrow();
    const next = await numberNewCase(db, opening('yangjiang', 2030, 'another'));
    expect([first, next]).toEqual([caseWorkflowId('yangjiang', 2030, 1), caseWorkflowId('yangjiang', 2030, 2)]);
    expect(await findCaseRequest(db, officer, 'used-once')).toEqual({ caseId: first, bodySha256: 'sha-of-used-once' });
  });
});
