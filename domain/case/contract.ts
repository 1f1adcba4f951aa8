/**
 * The contract of the exemption-review workflow: its name, id scheme, input,
 * state, messages and search attributes. No logic lives here; the workflow,
 * the worker, the API and the tests all import it.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeadlineComputation, IsoDate, PeriodUnit } from '../calendar';
import type { Basis, Rulebook } from '../rulebooks/schema';

export const WORKFLOW_TYPE = 'exemptionReview';

/** Readable, business-keyed ids with no personal data: `case-binhai-2026-0001`. */
export function caseWorkflowId(jurisdiction: string, year: number, sequence: number): string {
  return `case-${jurisdiction}-${year}-${String(sequence).padStart(4, '0')}`;
}
export const CASE_ID_PATTERN = /^case-[a-z][a-z0-9-]*-\d{4}-\d{4,}$/;

/** Search attributes, for ops in the Temporal UI and for `GET /v1/cases`. Never personal data. */
export const searchAttributes = {
  caseId: defineSearchAttributeKey('CaseId', SearchAttributeType.KEYWORD),
  jurisdiction: defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD),
  authority: defineSearchAttributeKey('Authority', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
  provisionalDeadline: defineSearchAttributeKey('ProvisionalDeadline', SearchAttributeType.BOOL),
} as const;
export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);

export interface Actor {
  sub: string;
  name: string;
}

export interface CaseInput {
  caseId: string;
  /** The rulebook version in force when the case was opened, pinned for the life of the case. */
  rulebook: Rulebook;
  authority: string;
  subject: { name: string; organisation: string; position?: string | undefined };
  matter: string;
  accountability: { reference: string; body?: string | undefined };
  /** The day the authority informed the subject (Binhai 第十二条(二)): the first window counts from it. */
  eventDate: IsoDate;
  openedBy: Actor;
  openedAt: string;
}

export type DeadlineStatus = 'pending' | 'met' | 'lapsed' | 'superseded';

export interface DeadlineRecord {
  key: string;
  label: string;
  binds: 'party' | 'authority';
  basis: Basis;
  from: IsoDate;
  amount: number;
  unit: PeriodUnit;
  deadline: IsoDate;
  endsAt: string;
  provisional: boolean;
  provisionalYears: number[];
  skipped: DeadlineComputation['skipped'];
  status: DeadlineStatus;
}

export interface TimelineEntry {
  at: string;
  event: string;
  actor?: Actor;
  detail?: string;
  basis?: Basis;
}

export interface CaseState {
  caseId: string;
  jurisdiction: string;
  rulebookVersion: string;
  authority: string;
  subject: CaseInput['subject'];
  matter: string;
  accountability: CaseInput['accountability'];
  stage: string;
  outcome?: string;
  closed: boolean;
  deadlines: DeadlineRecord[];
  timeline: TimelineEntry[];
  application?: { filedBy: 'subject' | 'subjectOrganisation'; filedAt: string; recordedBy: Actor; summary: string };
}

export interface FileApplicationInput {
  actor: Actor;
  filedBy: 'subject' | 'subjectOrganisation';
  /** The date the written application reached the authority. */
  receivedOn: IsoDate;
  /** Facts, the basis relied on and the proposal, as the application states them (第十二条(二)). */
  summary: string;
}

export interface CalendarUpdatedSignal {
  year: number;
  source: string;
}

export const caseStateQuery = defineQuery<CaseState>('caseState');
export const fileApplicationUpdate = defineUpdate<CaseState, [FileApplicationInput]>('fileApplication');
export const calendarUpdatedSignal = defineSignal<[CalendarUpdatedSignal]>('calendarUpdated');

/** Stable failure types an update can be refused with; the API maps them to HTTP answers. */
export const RefusalType = {
  wrongStage: 'WrongStage',
  windowClosed: 'WindowClosed',
  invalidInput: 'InvalidInput',
} as const;

export const CALENDAR_PROPAGATION_WORKFLOW_TYPE = 'propagateCalendarYear';
export function calendarPropagationWorkflowId(year: number, loadedAt: string): string {
  return `calendar-${year}-${loadedAt}`;
}
