import { caseWorkflowId, type Actor, type CaseInput } from '../../domain/case/contract';
import { rulebookInForce } from '../../domain/rulebooks';

export const officer: Actor = { sub: 'officer-1', name: '李办案' };

let sequence = 0;
export function binhaiCase(eventDate: string, overrides: Partial<CaseInput> = {}): CaseInput {
  sequence += 1;
  const rulebook = rulebookInForce('binhai', eventDate);
  if (!rulebook) throw new Error(`no Binhai rulebook in force on ${eventDate}`);
  return {
    caseId: caseWorkflowId('binhai', Number(eventDate.slice(0, 4)), 9000 + sequence + (process.pid % 500) * 10),
    rulebook,
    authority: 'binhai-jw',
    subject: { name: '王某', organisation: '滨海新区某街道党工委', position: '副主任' },
    matter: '推进老旧小区改造中先行先试，程序存在瑕疵',
    accountability: { reference: '滨纪问〔2026〕12号', body: '滨海新区纪委监委' },
    eventDate,
    openedBy: officer,
    openedAt: new Date().toISOString(),
    ...overrides,
  };
}
