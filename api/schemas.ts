/**
 * The API's request and response shapes: one zod schema each, used to
 * validate, to type the handlers and to generate the OpenAPI document.
 */
import { z } from 'zod';
import { beijingDate, compareDates, isIsoDate, yearOf } from '../domain/calendar';
import { PERIOD_UNITS } from '../domain/calendar/period';
import { isoDateSchema as calendarDate } from '../domain/calendar/year-input';
import { CASE_ID_PATTERN } from '../domain/case/contract';
import { normaliseText } from '../domain/case/text';
import { visibleText } from '../domain/case/visible-text';
import { JURISDICTIONS, rulebookInForce } from '../domain/rulebooks';
import { INTAKE_ROUTES, type Rulebook } from '../domain/rulebooks/schema';
import { publishedSchedules } from '../services/calendar/published';
import { ACCOUNT_ID_PATTERN } from './auth';

/**
 * The years the product's calendar knows: from the first year with a published
 * holiday schedule, to the last year whose lunar holidays (春节, 端午, 中秋) the
 * calendar package can place (its lunar tables end in 2100). A date outside
 * could not be counted from, so no field takes one.
 */
export const CALENDAR_YEARS = { first: Math.min(...publishedSchedules.keys()), last: 2100 } as const;

/** A calendar date, YYYY-MM-DD, within the years the calendar knows. */
export const isoDateSchema = calendarDate.refine(
  // Zod runs every refinement; one that is not a date was already reported.
  (d) => !isIsoDate(d) || (yearOf(d) >= CALENDAR_YEARS.first && yearOf(d) <= CALENDAR_YEARS.last),
  `must lie between ${CALENDAR_YEARS.first} and ${CALENDAR_YEARS.last}, the years the statutory calendar knows`,
);

/** A date that has happened: not after today in Beijing. */
export const pastDateSchema = isoDateSchema.refine(
  (d) => !isIsoDate(d) || yearOf(d) > CALENDAR_YEARS.last || compareDates(d, beijingDate(Date.now())) <= 0,
  'must not be in the future: after today (Beijing time)',
);

/**
 * Fields this long hold prose (a summary, findings, reasons) and may break lines; shorter ones
 * (names, organisations, references, the matter) are one line.
 */
export const PROSE_MIN_LENGTH = 1000;

/**
 * Free text, kept as typed (only the whitespace around it trimmed): not empty, bounded, and holding
 * no character a field may not hold. Prose (PROSE_MIN_LENGTH or more) may break lines.
 */
export const text = (max: number, lines = max >= PROSE_MIN_LENGTH) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .pipe(visibleText(lines))
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'must not be empty'));

/**
 * A person's name, kept as typed (王　某 stays padded as the officer wrote it); names are compared
 * normalised where they are compared (domain/case/persons.ts, the matter check below).
 */
export const personName = (max: number) => text(max, false);

/** An account id, as tokens carry it in `sub`. */
export const accountId = z.string().regex(ACCOUNT_ID_PATTERN, 'is not an account id');

/** A whole number written in decimal digits (not 0x10, 1e3, +5 or 5.0), within bounds. */
export const wholeNumber = (min: number, max: number) =>
  z
    .string({ error: 'must be a whole number' })
    .regex(/^\d{1,9}$/, 'must be a whole number written in decimal digits')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** Invisible characters, spaces and compatibility forms removed, so a name cannot hide in the matter behind them. */
const comparable = (value: string) => normaliseText(value).replace(/\s/g, '');

/**
 * Which rulebook an opening is checked against: the version of the jurisdiction in force today, and
 * the jurisdictions known at all. Approved versions change it while the API runs, so POST /v1/cases
 * asks the catalogue (services/rulebooks/catalogue.ts), refreshed before the body is read.
 */
export interface RulebookLookup {
  jurisdictions(): readonly string[];
  inForceToday(jurisdiction: string): Rulebook | undefined;
}

/** The shipped files alone, by the real clock. */
export const BUILT_IN_LOOKUP: RulebookLookup = { jurisdictions: () => JURISDICTIONS, inForceToday: (j) => rulebookInForce(j, beijingDate(Date.now())) };

export const openCaseBodyOf = (lookup: RulebookLookup) => z
  .object({
    /** One of the jurisdictions of GET /v1/rulebooks whose version in force is `usable` to the caller. */
    jurisdiction: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'is not a jurisdiction id').refine((j) => lookup.jurisdictions().includes(j), {
      error: (issue) => `Invalid option: expected one of ${lookup.jurisdictions().map((j) => JSON.stringify(j)).join('|')} (is ${JSON.stringify(issue.input)})`,
    }),
    subject: z
      .object({
        name: personName(50),
        organisation: text(100),
        position: text(50).optional(),
      })
      .strict(),
    // Kept as typed, full-width punctuation (，（）：；) and all: it is printed in the case's documents.
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
    eventDate: pastDateSchema,
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
    /**
     * The opener confirms that the case is opened although the first party window, counted from the
     * event date, has already run out (a late case, not a mistyped year): without it, such an opening
     * is refused naming the window's last day.
     */
    confirmLapsedWindow: z.literal(true, { error: 'must be true, or left out' }).optional(),
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
  // The matter becomes a search attribute that everyone with Temporal UI access sees. Compared after
  // normalising both, so full-width digits, spaces and invisible characters cannot slip a name through.
  .superRefine((body, ctx) => {
    const rulebook = body.jurisdiction ? lookup.inForceToday(body.jurisdiction) : undefined;
    // A case cannot run under a rule that was not yet in force when its event happened (a mistyped year).
    if (rulebook && body.eventDate && isIsoDate(body.eventDate) && compareDates(body.eventDate, rulebook.inForce) < 0) {
      ctx.addIssue({ code: 'custom', path: ['eventDate'], message: `must not be before ${rulebook.inForce}, the day ${rulebook.name} came into force (is ${body.eventDate})` });
    }
    for (const name of Object.keys(body.attributes ?? {})) {
      const declared = rulebook?.caseAttributes.map((a) => a.id) ?? [];
      if (!declared.includes(name)) ctx.addIssue({ code: 'custom', path: ['attributes', name], message: `is not a fact this jurisdiction's rulebook records (it records: ${declared.join(', ') || 'none'})` });
    }
    // A county case opened without its level would skip the filing with the city group unseen.
    const levelled = rulebook?.steps.find((s) => s.kind === 'filing' && s.onlyForLevel);
    if (levelled?.kind === 'filing' && !body.level) {
      ctx.addIssue({ code: 'custom', path: ['level'], message: `is required: ${levelled.label} depends on it (${levelled.basis.article})` });
    }
    const matter = comparable(body.matter ?? '');
    if (body.subject?.name && matter.includes(comparable(body.subject.name))) {
      ctx.addIssue({ code: 'custom', path: ['matter'], message: 'must not name the subject: it is visible to operators' });
    }
    if (/\d{17}[\dXx]/.test(matter.replace(/-/g, ''))) {
      ctx.addIssue({ code: 'custom', path: ['matter'], message: 'must not contain an ID number: it is visible to operators' });
    }
  });
export const openCaseBody = openCaseBodyOf(BUILT_IN_LOOKUP);
export type OpenCaseBody = z.infer<typeof openCaseBody>;

export const caseIdParams = z.object({ id: z.string().regex(CASE_ID_PATTERN, 'is not a case id') });

export const stepParams = caseIdParams.extend({ updateId: z.string().regex(/^step-[0-9a-f-]{36,40}$/, 'is not a step id') });

/** Printable ASCII, at most 200 characters: what the OpenAPI document promises for Idempotency-Key. */
export const idempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 printable ASCII characters')
  .optional();

export const deadlinePreviewQuery = z.object({
  from: isoDateSchema,
  amount: wholeNumber(1, 366),
  unit: z.enum(PERIOD_UNITS, { error: `must be one of ${PERIOD_UNITS.join(', ')}` }),
});

export const yearParams = z.object({
  year: wholeNumber(CALENDAR_YEARS.first, CALENDAR_YEARS.last),
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
  q: text(50).optional(),
  /** 承办人: the cases the caller holds (承办人 or team), or those nobody holds. */
  assignee: z.enum(['mine', 'unassigned'], { error: 'must be mine or unassigned' }).optional(),
  pageSize: wholeNumber(1, 100).default(20),
  /** Only a token this API handed out for the same filters (see api/routes/cases.ts). */
  pageToken: z.string().max(2000, 'is not a page token').regex(/^[A-Za-z0-9_-]+$/, 'is not a page token').optional(),
});
