/**
 * The authorities (问责部门) that run reviews and issue their documents, as
 * configured entities: what each is called, the 发文机关标志 it prints, its
 * 文号 prefixes per document series, and the bodies around it (its same-level
 * party committee, its superiors, the concrete bodies behind the rulebooks'
 * generic copy-to names). Documents, notices and refusals name bodies from
 * here, never by the id a token carries.
 *
 * One JSON file (AUTHORITIES_FILE) replaces the embedded default, which covers
 * the demo authorities of the five jurisdictions. Worker and API load and
 * validate it at start-up, so a bad file stops them with one line naming the
 * field.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { DocumentSpec, Rulebook } from '../domain/rulebooks/schema';

/** Document series that keep their own number sequence (文号), each with the kinds it numbers. */
export const DOCUMENT_SERIES = {
  /** 决定书、认定书: the decision itself. */
  decision: ['exemptionDecision', 'determinationNotice'],
  /** 告知书: telling a party a conclusion or the acceptance of its application. */
  notice: ['conclusionNotice', 'acceptanceNotice'],
  /** 函: the feedback letter to the applicant, and the clarification (澄清函) to the bodies an accusation reached. */
  letter: ['feedbackLetter', 'clarification'],
  /** 申诉处理决定. */
  appeal: ['appealDecision'],
  /** 纠错建议清单. */
  correction: ['correctionList'],
} as const satisfies Record<string, readonly DocumentSpec['kind'][]>;
export type DocumentSeries = keyof typeof DOCUMENT_SERIES;

export function seriesOf(kind: DocumentSpec['kind']): DocumentSeries {
  for (const [series, kinds] of Object.entries(DOCUMENT_SERIES)) if ((kinds as readonly string[]).includes(kind)) return series as DocumentSeries;
  throw new Error(`document kind ${kind} belongs to no series`);
}

const name = z.string().trim().min(2).max(60);
/** A 文号 prefix (机关代字 and series word): no brackets or digits, which the number adds. */
const prefix = z
  .string()
  .trim()
  .min(1)
  .max(12)
  .regex(/^[^〔〕\[\]\d\s]+$/, 'must be the 机关代字 only, without year, brackets or number');

const jurisdictionId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a rulebook id: lower-case letters, digits and hyphens');

export const authoritySchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens'),
  /** The jurisdiction (rulebook id) whose reviews it runs; with `jurisdictions`, the first of them. */
  jurisdiction: jurisdictionId.optional(),
  /**
   * Every jurisdiction it runs reviews under, where more than one (a body that applies its own 办法
   * and a superior's): opening a case offers those of them with a version in force. More may be bound
   * through the API (PUT /v1/authorities/{id}/jurisdictions/{jurisdiction}).
   */
  jurisdictions: z.array(jurisdictionId).min(1).optional(),
  /** 全称, used for the 发文机关署名 and wherever a body is named in full. */
  name,
  /** 规范化简称. */
  shortName: name,
  /** 发文机关标志 (GB/T 9704-2012 7.2.4): the full or short name, usually followed by 文件. */
  banner: name,
  /** 文号 prefixes, one per document series (GB/T 9704-2012 7.2.5). */
  series: z.object({
    decision: prefix,
    notice: prefix,
    letter: prefix,
    appeal: prefix,
    correction: prefix,
    /** The periodic report to the superior (容错纠错工作情况统计表), a series of its own; the decision series' 代字 and 统 where unset. */
    report: prefix.optional(),
  }),
  /** 印发机关 (GB/T 9704-2012 7.4.3), usually the authority's office. */
  printedBy: name,
  /**
   * The authority's own leadership body (领导班子, e.g. 纪委常委会), which decides collectively within
   * its power and is named as 批准机关 (滨海 第十五条); `name` + 领导班子 where unset.
   */
  leadership: name.optional(),
  /** 同级党委: decides on referral (滨海 第十四条(一)) and approves where the rule asks. */
  partyCommittee: name.optional(),
  /** Superior bodies, where known: the discipline body and the organisation department one level up. */
  superior: z.object({ discipline: name.optional(), organisation: name.optional() }).default({}),
  /**
   * The configured authorities one level down whose figures this one, as their superior body, reads
   * (getStatistics with scope=subordinates or authority=<id>), by id; theirs in turn are its reach too.
   * Each authority has at most one superior, and the relation has no cycle (checked with the file).
   */
  subordinates: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be an authority id')).default([]),
  /** The concrete bodies behind the rulebooks' generic copy-to names (e.g. 组织人事部门 → 中共…委员会组织部). */
  copyTo: z.record(z.string().min(2), name).default({}),
})
  .superRefine((a, ctx) => {
    if (!a.jurisdiction && !a.jurisdictions) ctx.addIssue({ code: 'custom', path: ['jurisdiction'], message: 'is required: the jurisdiction (or jurisdictions) the authority runs reviews under' });
  })
  // Both forms read alike afterwards: `jurisdiction` the first, `jurisdictions` all of them.
  .transform(({ jurisdiction, jurisdictions, ...rest }) => {
    const all = [...new Set([...(jurisdiction ? [jurisdiction] : []), ...(jurisdictions ?? [])])];
    return { ...rest, jurisdiction: all[0]!, jurisdictions: all };
  });
export type Authority = z.infer<typeof authoritySchema>;

export const authoritiesFileSchema = z
  .object({ authorities: z.array(authoritySchema).min(1) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const [i, a] of file.authorities.entries()) {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: ['authorities', i, 'id'], message: `${a.id} appears twice` });
      seen.add(a.id);
    }
    const ids = new Set(file.authorities.map((a) => a.id));
    const superiorOf = new Map<string, string>();
    for (const [i, a] of file.authorities.entries()) {
      for (const [j, sub] of a.subordinates.entries()) {
        const at = ['authorities', i, 'subordinates', j];
        if (!ids.has(sub)) ctx.addIssue({ code: 'custom', path: at, message: `${sub} is not a configured authority` });
        else if (sub === a.id) ctx.addIssue({ code: 'custom', path: at, message: `${sub} cannot be its own subordinate` });
        else if (superiorOf.has(sub)) ctx.addIssue({ code: 'custom', path: at, message: `${sub} is already a subordinate of ${superiorOf.get(sub)}: an authority has one superior` });
        else superiorOf.set(sub, a.id);
      }
    }
    // With one superior each, a cycle is a walk up from an authority that comes back to it.
    const reported = new Set<string>();
    for (const [i, a] of file.authorities.entries()) {
      const chain = [a.id];
      // Stops at the top, at the cycle's start, or on entering a cycle above that this one is not in.
      for (let up = superiorOf.get(a.id); up !== undefined && !reported.has(a.id) && (up === a.id || !chain.includes(up)); up = superiorOf.get(up)) {
        chain.push(up);
        if (up !== a.id) continue;
        for (const id of chain) reported.add(id);
        ctx.addIssue({ code: 'custom', path: ['authorities', i, 'subordinates'], message: `the subordinates form a cycle: ${[...chain].reverse().join(' → ')}` });
        break;
      }
    }
    const prefixes = new Map<string, string>();
    for (const [i, a] of file.authorities.entries()) {
      for (const [series, p] of Object.entries(a.series)) {
        const owner = prefixes.get(p);
        if (owner) ctx.addIssue({ code: 'custom', path: ['authorities', i, 'series', series], message: `${p} is already the prefix of ${owner}: two series would share one number sequence` });
        prefixes.set(p, `${a.id}.${series}`);
      }
    }
  });
export type AuthoritiesFile = z.input<typeof authoritiesFileSchema>;

/** A city's discipline commission: its names, series and superiors follow one pattern. */
function cityCommission(c: { id: string; jurisdiction: string; city: string; code: string; province: string; decision?: string }): AuthoritiesFile['authorities'][number] {
  const name = `中共${c.city}纪律检查委员会`;
  return {
    id: c.id,
    jurisdiction: c.jurisdiction,
    name,
    shortName: `${c.city}纪委`,
    banner: `${name}文件`,
    series: { decision: c.decision ?? `${c.code}容`, notice: `${c.code}告`, letter: `${c.code}函`, appeal: `${c.code}申`, correction: `${c.code}纠` },
    printedBy: `${name}办公室`,
    partyCommittee: `中共${c.city}委员会`,
    superior: { discipline: `中共${c.province}纪律检查委员会`, organisation: `中共${c.province}委员会组织部` },
  };
}

/** The demo authorities of the five jurisdictions; the ids are those the development tokens and tests use. */
export const DEFAULT_AUTHORITIES: AuthoritiesFile = {
  authorities: [
    {
      id: 'binhai-jw',
      jurisdiction: 'binhai',
      name: '中共天津市滨海新区纪律检查委员会',
      shortName: '滨海新区纪委',
      banner: '中共天津市滨海新区纪律检查委员会文件',
      series: { decision: '滨纪免', notice: '滨纪告', letter: '滨纪函', appeal: '滨纪申', correction: '滨纪纠' },
      printedBy: '中共天津市滨海新区纪律检查委员会办公室',
      leadership: '中共天津市滨海新区纪律检查委员会常务委员会',
      partyCommittee: '中共天津市滨海新区委员会',
      superior: { discipline: '中共天津市纪律检查委员会', organisation: '中共天津市委员会组织部' },
      copyTo: { 同级纪检监察组织: '天津市滨海新区监察委员会', 组织人事部门: '中共天津市滨海新区委员会组织部' },
    },
    {
      id: 'hz-jyj',
      jurisdiction: 'hangzhou-education',
      name: '中共杭州市教育局委员会',
      shortName: '市教育局党委',
      banner: '中共杭州市教育局委员会文件',
      series: { decision: '杭教党容', notice: '杭教党告', letter: '杭教党函', appeal: '杭教党申', correction: '杭教党纠' },
      printedBy: '杭州市教育局办公室',
      partyCommittee: '中共杭州市教育局委员会',
      superior: { discipline: '杭州市纪委市监委驻市教育局纪检监察组', organisation: '中共杭州市委员会组织部' },
    },
    cityCommission({ id: 'yinchuan-jw', jurisdiction: 'yinchuan', city: '银川市', code: '银纪', province: '宁夏回族自治区' }),
    cityCommission({ id: 'jiaozuo-jw', jurisdiction: 'jiaozuo', city: '焦作市', code: '焦容', province: '河南省', decision: '焦容' }),
    {
      ...cityCommission({ id: 'yangjiang-jw', jurisdiction: 'yangjiang', city: '阳江市', code: '阳纪', province: '广东省' }),
      copyTo: { '问责、廉政评价、提拔交流、绩效管理有关部门': '中共阳江市委员会组织部、阳江市人力资源和社会保障局' },
    },
  ],
};

export class AuthoritiesError extends Error {
  override name = 'AuthoritiesError';
}

/** The configured authorities, looked up by id. */
export class Authorities {
  private readonly byId: Map<string, Authority>;

  constructor(readonly list: readonly Authority[]) {
    this.byId = new Map(list.map((a) => [a.id, a]));
  }

  get(id: string): Authority | undefined {
    return this.byId.get(id);
  }

  /**
   * The authorities below this one (its subordinates, theirs in turn, …), nearest first: those whose
   * figures it reads as their superior body. The file's checks keep the relation a tree.
   */
  subordinatesOf(id: string): Authority[] {
    const below: Authority[] = [];
    const seen = new Set([id]);
    for (let level = [...(this.byId.get(id)?.subordinates ?? [])]; level.length; ) {
      const found = level.filter((s) => !seen.has(s)).map((s) => this.byId.get(s)).filter((a): a is Authority => a !== undefined);
      for (const a of found) seen.add(a.id);
      below.push(...found);
      level = found.flatMap((a) => a.subordinates);
    }
    return below;
  }

  /**
   * The authority a case names, for the documents it issues. An id that is not
   * configured (a case opened before its authority was) is spoken of as its
   * jurisdiction's configured authority, or, for a jurisdiction with none, by
   * the rulebook's own issuing body and prefix: a document names a body, never an id.
   */
  resolve(id: string, rulebook: Pick<Rulebook, 'id' | 'issuingBody' | 'documentNumberPrefix'>): Authority {
    const configured = this.byId.get(id) ?? this.list.find((a) => a.jurisdictions.includes(rulebook.id));
    if (configured) return configured;
    const p = rulebook.documentNumberPrefix;
    return {
      id,
      jurisdiction: rulebook.id,
      jurisdictions: [rulebook.id],
      name: rulebook.issuingBody,
      shortName: rulebook.issuingBody,
      banner: `${rulebook.issuingBody}文件`,
      series: { decision: p, notice: `${p}告`, letter: `${p}函`, appeal: `${p}申`, correction: `${p}纠` },
      printedBy: `${rulebook.issuingBody}办公室`,
      superior: {},
      subordinates: [],
      copyTo: {},
    };
  }
}

export function parseAuthorities(raw: unknown, source = 'authorities'): Authorities {
  const result = authoritiesFileSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new AuthoritiesError(`${source}: ${lines.join('; ')}`);
  }
  return new Authorities(result.data.authorities);
}

/** The authorities of AUTHORITIES_FILE, or the embedded default when it is unset. */
export function loadAuthorities(file?: string): Authorities {
  if (!file) return parseAuthorities(DEFAULT_AUTHORITIES, 'embedded default authorities');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AuthoritiesError(`AUTHORITIES_FILE ${file}: ${(err as Error).message}`);
  }
  return parseAuthorities(raw, `AUTHORITIES_FILE ${file}`);
}
