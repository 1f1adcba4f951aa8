/**
 * The API's request and response shapes: one zod schema each, used to
 * validate, to type the handlers and to generate the OpenAPI document.
 */
import { z } from 'zod';
import { PERIOD_UNITS } from '../domain/calendar/period';
import { isoDateSchema } from '../domain/calendar/year-input';
import { CASE_ID_PATTERN } from '../domain/case/contract';
import { beijingDate } from '../domain/calendar';
import { JURISDICTIONS, rulebookInForce } from '../domain/rulebooks';
import { INTAKE_ROUTES } from '../domain/rulebooks/schema';

export { isoDateSchema };

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const openCaseBody = z
  .object({
    jurisdiction: z.enum(JURISDICTIONS as [string, ...string[]]),
    subject: z.object({
      name: text(50),
      organisation: text(100),
      position: text(50).optional(),
      /** The subject's own account, if it has one: it may then read but never act on the case. */
      userId: text(100).optional(),
    }),
    matter: text(500),
    accountability: z.object({
      reference: text(100),
      body: text(100).optional(),
    }),
    /**
     * The day of the opening event the jurisdiction's rulebook names (`openingEvent` in GET
     * /v1/rulebooks/{id}: 告知 in 滨海, the start of accountability in 银川 and 杭州, the group's
     * receipt of the opinion on 阳江's opinion routes); the first window counts from it.
     */
    eventDate: isoDateSchema,
    /** How the case came in, where the jurisdiction's rulebook allows more than an application. */
    route: z.enum(INTAKE_ROUTES).optional(),
    /**
     * The level of the deciding authority, required where the rulebook files decisions by level
     * (阳江 二(三)4: county decisions are filed with the city group; a 功能区 case is a city case).
     */
    level: z.enum(['city', 'county']).optional(),
    /** The advance risk filing (报备) of the reform, if there was one (焦作). */
    advanceFiling: z.object({ reference: text(100), filedWith: text(100), filedOn: isoDateSchema }).strict().optional(),
    /** Facts about the case its rulebook declares (`caseAttributes`, e.g. 滨海 specialZone), which decide which rules apply. */
    attributes: z.record(z.string().regex(/^[a-z][A-Za-z]*$/, 'is not an attribute name'), z.boolean()).optional(),
    /** When the measure an advance requirement concerns was implemented (焦作 特事特办: advanceMatters.specialMeasure). */
    advanceMatters: z.record(z.string().regex(/^[a-z][A-Za-z]*$/, 'is not a requirement name'), z.object({ implementedOn: isoDateSchema }).strict()).optional(),
    /** The matters raised, for investigations limited to them (阳江 一事一核). */
    raisedItems: z.array(text(500)).min(1).max(50).optional(),
    /** Where notices to the parties also go by e-mail. Kept in the archive only, never in Temporal. */
    contacts: z
      .object({
        subject: z.object({ email: z.email('must be an e-mail address') }).strict().optional(),
        subjectOrganisation: z.object({ email: z.email('must be an e-mail address') }).strict().optional(),
        accountabilityBody: z.object({ email: z.email('must be an e-mail address') }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  // The matter becomes a search attribute that everyone with Temporal UI access sees.
  .superRefine((body, ctx) => {
    const rulebook = rulebookInForce(body.jurisdiction, beijingDate(Date.now()));
    for (const name of Object.keys(body.attributes ?? {})) {
      const declared = rulebook?.caseAttributes.map((a) => a.id) ?? [];
      if (!declared.includes(name)) ctx.addIssue({ code: 'custom', path: ['attributes', name], message: `is not a fact this jurisdiction's rulebook records (it records: ${declared.join(', ') || 'none'})` });
    }
    // A county case opened without its level would skip the filing with the city group unseen.
    const levelled = rulebook?.steps.find((s) => s.kind === 'filing' && s.onlyForLevel);
    if (levelled?.kind === 'filing' && !body.level) {
      ctx.addIssue({ code: 'custom', path: ['level'], message: `is required: ${levelled.label} depends on it (${levelled.basis.article})` });
    }
    if (body.subject?.name && body.matter?.includes(body.subject.name)) {
      ctx.addIssue({ code: 'custom', path: ['matter'], message: 'must not name the subject: it is visible to operators' });
    }
    if (/\d{17}[\dXx]/.test(body.matter ?? '')) {
      ctx.addIssue({ code: 'custom', path: ['matter'], message: 'must not contain an ID number: it is visible to operators' });
    }
  });
export type OpenCaseBody = z.infer<typeof openCaseBody>;

export const caseIdParams = z.object({ id: z.string().regex(CASE_ID_PATTERN, 'is not a case id') });

export const deadlinePreviewQuery = z.object({
  from: isoDateSchema,
  amount: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(366, 'must be at most 366'),
  unit: z.enum(PERIOD_UNITS, { error: `must be one of ${PERIOD_UNITS.join(', ')}` }),
});

export const yearParams = z.object({
  year: z.coerce.number().int('must be a year').min(1949, 'must be 1949 or later').max(2200, 'must be 2200 or earlier'),
});

const keyword = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,40}$/, 'is not a valid value');

export const caseListQuery = z.object({
  jurisdiction: keyword.optional(),
  stage: keyword.optional(),
  outcome: keyword.optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Cases with a pending deadline before this day (Beijing). */
  deadlineBefore: isoDateSchema.optional(),
  /** Words of the matter. */
  q: z.string().trim().min(1).max(50).regex(/^[^"'\\]*$/, 'must not contain quotes or backslashes').optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  pageToken: z.string().regex(/^[A-Za-z0-9_-]+$/, 'is not a page token').max(2000).optional(),
});
