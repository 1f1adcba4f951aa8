/**
 * Roles and their reach, in one table: what each role is, whose cases it
 * reaches and what it may do there. The routes take their role lists from
 * here (ROLES, SYSTEM_ROLES, PARTY_ROLES, and the lists below), the README's
 * table is this one, and test/e2e/api-authorization.test.ts checks every route
 * against it for every role.
 *
 * The steps of a case come from its rulebook, which names the staff roles of
 * each; a party takes only the filings the rulebook lets that party make.
 */

/** Staff of an authority: the token's `authority` claim scopes them to its cases. */
export const ROLES = ['officer', 'supervisor', 'auditor', 'admin'] as const;
/** Over the whole system, whatever authority the token names: loading the national calendar. */
export const SYSTEM_ROLES = ['system-admin'] as const;
/**
 * 规则管理: submits rulebook versions, checks and tries them, approves another's and puts it in force.
 * Of a deploying body: the jurisdictions its token's authority is bound to and those it introduced
 * (services/rulebooks/reach.ts); of the whole system when the token also holds `system-admin`. It
 * reads no case: a role of its own, neither within an authority's case work nor the calendar's.
 */
export const RULEBOOK_ROLES = ['rulebook-admin'] as const;
/** A party's own account (the subject, or its organisation), never combined with another role. */
export const PARTY_ROLES = ['party'] as const;
/**
 * 组织部门: the organisation department of an authority that receives conclusions. It reads no case
 * and takes no step; it asks what follows from a cadre's conclusions (listConclusionEffects), and
 * every such question is written to the access log.
 */
export const ORGANISATION_ROLES = ['organisation'] as const;

export type StaffRole = (typeof ROLES)[number];
export type Role = StaffRole | (typeof SYSTEM_ROLES)[number] | (typeof RULEBOOK_ROLES)[number] | (typeof PARTY_ROLES)[number] | (typeof ORGANISATION_ROLES)[number];

export interface Reach {
  /** 办案人员, 审核领导 … as the console names it. */
  name: string;
  /** Whose cases it reaches at all. */
  cases: string;
  /** What it may read of them. */
  reads: string;
  /** What it may do. */
  acts: string;
}

export const ROLE_REACH: Record<Role, Reach> = {
  officer: {
    name: '办案人员',
    cases: 'every case of its authority, but not one it is recused from (stage only) or is a party to',
    reads: 'the whole case: deadlines, timeline, documents, notes; its work (listMyWork): the steps of the cases it holds (承办人, team)',
    acts: 'opens cases; takes the steps the rulebook gives officers; claims an unassigned case (claimCase); writes notes; binds the parties’ accounts',
  },
  supervisor: {
    name: '审核领导',
    cases: 'as officer',
    reads: 'as officer; its work: every step that waits for a supervisor (deliberation, approvals, appeal decisions); at a superior body, the statistics of its subordinate authorities',
    acts: 'takes the steps the rulebook gives supervisors; assigns and reassigns cases (assignCase, with a reason); writes notes; ends a case (withdrawCase)',
  },
  auditor: {
    name: '审计人员',
    cases: 'as officer',
    reads: 'as officer, and the access log of a case (listCaseAccess, CSV); decodes a case’s payloads in the Temporal UI; at a superior body, the statistics of its subordinate authorities',
    acts: 'nothing on a case',
  },
  admin: {
    name: '本机关管理员',
    cases: 'as officer',
    reads: 'as officer; decodes a case’s payloads in the Temporal UI; previews a year’s holiday schedule for its authority',
    acts: 'nothing on a case',
  },
  'system-admin': {
    name: '系统管理员',
    cases: 'none: it belongs to no authority',
    reads: 'the calendar; decodes payloads that belong to no case',
    acts: 'loads a year’s holiday schedule for the whole system',
  },
  'rulebook-admin': {
    name: '规则管理员',
    cases: 'none: it reads no case',
    reads: 'the rulebook versions of the jurisdictions its authority is bound to or introduced, their diffs and audit trail',
    acts: 'submits a rulebook version, checks and simulates it, approves another person’s version (never its own) and puts it in force from a day',
  },
  party: {
    name: '当事人',
    cases: 'only the cases its account is bound to, as the subject or as the subject’s organisation; any other answers 404',
    reads: 'of each only what a party may see: the stage and outcome, its own windows and the authority’s deadlines, the documents served on it, its own filings and their receipts, its inbox; never notes, recusals, the investigation, the deliberation or another party’s contacts',
    acts: 'files its application, statement and appeal itself where the rulebook lets it (the day of receipt is the day it reached the system, Beijing time; a numbered receipt at once); acknowledges service in its inbox',
  },
  organisation: {
    name: '组织部门',
    cases: 'none to read: it asks by cadre (name and unit, or the party account) about the concluded cases of its authority; a cadre with none answers 404',
    reads: 'of each concluded case only its number, outcome, the day of the conclusion, the effects its rulebook attaches (article and text), to whom it was copied and when, and the period an effect runs; every question is in the access log',
    acts: 'nothing on a case',
  },
};

/** Everyone whose inbox it is: staff by their roles and accounts, parties by their accounts. */
export const INBOX_ROLES = [...ROLES, ...PARTY_ROLES] as const;
/** Who writes a case's notes; every staff role reads them. */
export const NOTE_WRITERS = ['officer', 'supervisor'] as const;
/** Who reads a case's access log. */
export const ACCESS_LOG_READERS = ['auditor'] as const;
/** Who reads the ledger (台账), its export and the statistics of its authority. */
export const LEDGER_READERS = ['officer', 'supervisor', 'auditor', 'admin'] as const;
/**
 * Who, at a superior body, reads the statistics of its subordinate authorities (config/authorities.ts
 * `subordinates`): its supervisors, who answer for the oversight of the bodies below (上级纪委 监督指导
 * 下级 容错纠错工作, the periodic report comes up to them), and its auditors, who check that work. Not its
 * officers, whose work is the cases of their own authority, nor its admin, who keeps the machine: neither
 * has a reason to read another body's figures. Counts only: no party's name crosses.
 */
export const SUBORDINATE_STATISTICS_READERS = ['supervisor', 'auditor'] as const;
/** Who drafts a concluded case's typical-case summary (典型案例), and who reviews and publishes it. */
export const TYPICAL_CASE_WRITERS = ['officer', 'supervisor'] as const;
export const TYPICAL_CASE_REVIEWERS = ['supervisor'] as const;
/** Who issues the periodic report to the superior body. */
export const REPORT_ISSUERS = ['supervisor'] as const;
/** Who asks what follows from a cadre's conclusions (结果运用). */
export const CONCLUSION_EFFECT_READERS = [...ORGANISATION_ROLES] as const;
/** Whose work a queue lists. */
export const WORKERS = ['officer', 'supervisor'] as const;

/**
 * Who may do what with a case's file (its materials, the bound file, the export), by role within the
 * case's authority; the case must also be the caller's authority's, and the caller not recused from it
 * (api/case-access.ts). A party of the case uploads only the kinds it files itself (PARTY_FILING_KINDS),
 * to its own case, and takes no other step on its file: api/case-file-access.ts decides it from this table.
 */
export const CASE_FILE_ROLES = {
  uploadMaterial: ['officer', 'supervisor'],
  readMaterials: [...ROLES],
  withdrawMaterial: ['officer', 'supervisor'],
  readBoundFile: [...ROLES],
  exportCaseFile: ['officer', 'supervisor', 'auditor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
