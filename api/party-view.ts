/**
 * What a party may see of its own case: where it stands and how it ended,
 * its own windows and the authority's deadlines, the documents served on it,
 * its own filings and their receipts, and what it may file now. Built field by
 * field from the case, so nothing else reaches it: never the notes (they are
 * not in the case at all), the recusals, the investigation group or its
 * report, the deliberation's reasons, the officers' names, or the other
 * party's account or contacts.
 */
import type { CaseState, IssuedDocument } from '../domain/case/contract';
import { openFilings } from '../domain/case/people';
import type { Party } from '../domain/rulebooks/schema';
import type { Receipt } from '../store/receipts';

/** The documents addressed to the party (主送), as the document service names the addressee. */
export function servedOn(state: Pick<CaseState, 'documents' | 'subject'>, party: Party): IssuedDocument[] {
  const names = party === 'subject' ? [state.subject.name, `${state.subject.name}同志`] : [state.subject.organisation];
  return state.documents.filter((d) => d.recipients.some((r) => names.includes(r)));
}

export function partyView(state: CaseState, party: Party, account: string, receipts: Receipt[]) {
  const own = (recordedBy: { sub: string } | undefined) => recordedBy?.sub === account;
  return {
    caseId: state.caseId,
    jurisdiction: state.jurisdiction,
    rulebookVersion: state.rulebookVersion,
    authority: state.authority,
    party,
    stage: state.stage,
    ...(state.alongside?.length ? { alongside: state.alongside } : {}),
    closed: state.closed,
    ...(state.outcome ? { outcome: state.outcome } : {}),
    subject: { name: state.subject.name, organisation: state.subject.organisation },
    matter: state.matter,
    accountability: { reference: state.accountability.reference, status: state.accountability.status },
    // Its own windows, and what the authority owes it by when; not the periods for recording late filings.
    deadlines: state.deadlines
      .filter((d) => d.binds === 'party' || d.binds === 'authority')
      .map((d) => ({ key: d.key, label: d.label, binds: d.binds, from: d.from, amount: d.amount, unit: d.unit, deadline: d.deadline, status: d.status, provisional: d.provisional, basis: d.basis })),
    documents: servedOn(state, party).map((d) => ({ documentId: d.documentId, kind: d.kind, title: d.title, number: d.number, issuedAt: d.issuedAt, article: d.basis.article, href: `/v1/my/cases/${state.caseId}/documents/${d.documentId}` })),
    service: (state.noticeReceipts ?? []).filter((r) => r.party === party).map((r) => ({ servedOn: r.servedOn, via: r.via })),
    filings: {
      ...(state.application && state.application.filedBy === party
        ? { application: { receivedOn: state.application.filedAt, recordedOn: state.application.recordedOn ?? null, summary: state.application.summary, online: own(state.application.recordedBy) } }
        : {}),
      // A statement the investigation wrote down is its record, not the party's filing: only those the party gave itself.
      statements: state.statements.filter((s) => own(s.recordedBy)).map((s) => ({ receivedOn: s.receivedOn, summary: s.summary, online: true })),
      ...(state.appeal && (state.appeal.filedBy ?? 'subject') === party
        ? {
            appeal: {
              receivedOn: state.appeal.receivedOn,
              recordedOn: state.appeal.recordedOn ?? null,
              summary: state.appeal.summary,
              online: own(state.appeal.recordedBy),
              ...(state.appeal.decision ? { decision: { decidedOn: state.appeal.decision.decidedOn, result: state.appeal.decision.result } } : {}),
            },
          }
        : {}),
    },
    receipts: receipts.map(({ updateId: _u, ...r }) => r),
    openFilings: openFilings(state, party),
  };
}
