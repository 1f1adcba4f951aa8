/**
 * A rulebook: one jurisdiction's regulation as data. The workflow interprets
 * it; every deadline names the article that sets it, so an auditor can check
 * the rulebook against the source text.
 */
import { z } from 'zod';
import { PERIOD_UNITS } from '../calendar/period';
import { isoDateSchema } from '../calendar/year-input';

export const basisSchema = z.object({
  /** The article, as the regulation numbers it, e.g. 第十二条(二). */
  article: z.string().min(2),
  /** The words of the source that set the rule, quoted. */
  quote: z.string().min(2),
});
export type Basis = z.infer<typeof basisSchema>;

export const deadlineRuleSchema = z.object({
  amount: z.number().int().min(1).max(366),
  unit: z.enum(PERIOD_UNITS),
  basis: basisSchema,
});
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;

/** A window that belongs to a party: it closes when it lapses, and a late filing is refused. */
export const partyWindowStepSchema = z.object({
  kind: z.literal('partyWindow'),
  /** The stage the case is in while the window runs, e.g. `application`. */
  stage: z.string().regex(/^[a-z][A-Za-z]*$/),
  label: z.string().min(2),
  /** What the deadline counts from: the event date given when the case is opened. */
  countsFrom: z.literal('caseEvent'),
  deadline: deadlineRuleSchema,
  /** Who may file within the window. */
  filers: z.array(z.enum(['subject', 'subjectOrganisation'])).min(1),
  /** What the case becomes when nobody files in time. */
  onLapse: z.object({ outcome: z.string().min(2), explanation: z.string().min(2) }),
});

export const stepSchema = z.discriminatedUnion('kind', [partyWindowStepSchema]);
export type Step = z.infer<typeof stepSchema>;
export type PartyWindowStep = z.infer<typeof partyWindowStepSchema>;

export const rulebookSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(2),
  issuingBody: z.string().min(2),
  version: z.string().min(1),
  inForce: isoDateSchema,
  /** The file of shared/regulations/ this rulebook transcribes. */
  source: z.string().min(1),
  documentNumberPrefix: z.string().min(1),
  steps: z.array(stepSchema).min(1),
});
export type Rulebook = z.infer<typeof rulebookSchema>;
