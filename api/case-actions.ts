/**
 * The human steps a caller may take on a case, each a Workflow Update. The
 * API validates the body with the step's schema, adds the caller as actor,
 * and lets the workflow's validator accept or refuse.
 */
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { fileApplicationUpdate, type Actor, type CaseState } from '../domain/case/contract';
import type { Role } from './auth';
import { fileApplicationBody } from './schemas';

export interface CaseAction<S extends z.ZodType = z.ZodType> {
  update: UpdateDefinition<CaseState, [z.infer<S> & { actor: Actor }]>;
  body: S;
  roles: readonly Role[];
  summary: string;
}

function action<S extends z.ZodType>(a: CaseAction<S>): CaseAction<S> {
  return a;
}

export const caseActions = {
  fileApplication: action({
    update: fileApplicationUpdate,
    body: fileApplicationBody,
    roles: ['officer'],
    summary: 'Record the written application of the subject or its party organisation (登记容错免责申请)',
  }),
} satisfies Record<string, CaseAction>;

export type CaseActionName = keyof typeof caseActions;
