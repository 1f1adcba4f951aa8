/**
 * A deploying body's path from a regulation's text to a rulebook in force:
 * submit a version with the text (checked: services/rulebooks/checks.ts), try
 * it (dry-run.ts), have another person approve it from a day, or withdraw it.
 * Who may act on a jurisdiction is its reach: a rulebook administrator of a
 * deploying body reaches the jurisdictions its authority is bound to and those
 * it introduced; one who is also `system-admin` reaches all. Every act is in
 * the audit trail, refusals too.
 */
import { createHash } from 'node:crypto';
import type { Authorities } from '../../config/authorities';
import { compareDates, type IsoDate } from '../../domain/calendar';
import { overlapOf, type Rulebook } from '../../domain/rulebooks';
import type { Db, Queryable } from '../../store/db';
import {
  appendAudit,
  approvedWindows,
  findLiveRevision,
  findVersion,
  insertVersion,
  lockJurisdiction,
  markApproved,
  markWithdrawn,
  rulebooksOf,
  type AuditAction,
  type Person,
  type StoredVersion,
} from '../../store/rulebook-versions';
import { boundJurisdictions, fileVersionId, RulebookCatalogue, type CatalogueWindow } from './catalogue';
import { checkRulebook, placeIn, type RulebookProblem } from './checks';

export interface Actor extends Person {
  roles: string[];
}

export interface AuthoringDeps {
  db: Db;
  authorities: Authorities;
  catalogue: RulebookCatalogue;
}

/** A refusal the API answers with a problem: what, and where in the request or the file. */
export class AuthoringRefusal extends Error {
  constructor(
    readonly kind: 'forbidden' | 'notFound' | 'conflict' | 'problems' | 'fourEyes',
    readonly zh: string,
    en: string,
    readonly problems: RulebookProblem[] = [],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(en);
  }
}

export interface Reach {
  all: boolean;
  jurisdictions: Set<string>;
}

/** The jurisdictions the caller administers. */
export async function reachOf(deps: AuthoringDeps, user: Actor): Promise<Reach> {
  if (user.roles.includes('system-admin')) return { all: true, jurisdictions: new Set() };
  const bound = await boundJurisdictions(deps.db, deps.authorities, user.authority);
  // Introduced: jurisdictions whose first submission came from this authority (a deploying body's own 办法).
  const introduced = await deps.db.query<{ jurisdiction: string }>(
    `select jurisdiction from rulebook_versions group by jurisdiction having (array_agg(submitted_by->>'authority' order by submitted_at))[1] = $1`,
    [user.authority],
  );
  return { all: false, jurisdictions: new Set([...bound, ...introduced.map((r) => r.jurisdiction)]) };
}

export const reaches = (reach: Reach, jurisdiction: string) => reach.all || reach.jurisdictions.has(jurisdiction);

/** Whether anyone knows the jurisdiction: a shipped file, a version submitted, an authority bound to it. */
async function isKnown(deps: AuthoringDeps, jurisdiction: string): Promise<boolean> {
  if (deps.catalogue.windows().some((w) => w.rulebook.id === jurisdiction)) return true;
  if (deps.authorities.list.some((a) => a.jurisdictions.includes(jurisdiction))) return true;
  const rows = await deps.db.query(
    `select 1 from rulebook_versions where jurisdiction = $1 union all select 1 from authority_jurisdictions where jurisdiction = $1 limit 1`,
    [jurisdiction],
  );
  return rows.length > 0;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const person = (u: Actor): Person => ({ sub: u.sub, name: u.name, authority: u.authority });

export async function audit(db: Queryable, user: Actor, action: AuditAction, jurisdiction: string, versionId: string | undefined, detail: Record<string, unknown>): Promise<void> {
  await appendAudit(db, { action, jurisdiction, versionId, actor: { ...person(user), roles: user.roles }, detail });
}

/** The problems as the audit keeps them: where and which check, not the whole message list twice. */
const auditedProblems = (problems: RulebookProblem[]) => problems.slice(0, 50).map((p) => ({ path: p.path, line: p.line, check: p.check, article: p.article }));

export interface Submission {
  file: { name: string; text: string };
  regulation: { name: string; text: string };
}

/**
 * Checks and stores a version. Problems are refused whole (nothing stored) and kept in the audit
 * trail; a version passes only with none.
 */
export async function submitVersion(deps: AuthoringDeps, user: Actor, submission: Submission): Promise<StoredVersion> {
  await deps.catalogue.refresh();
  const result = checkRulebook({ fileText: submission.file.text, regulationText: submission.regulation.text, regulationFile: submission.regulation.name });
  const named = (result.parsed.data as { id?: unknown } | undefined)?.id;
  const jurisdiction = typeof named === 'string' && /^[a-z][a-z0-9-]*$/.test(named) ? named : undefined;
  // Reach is decided first, so a caller learns nothing about a jurisdiction it may not author.
  if (jurisdiction) {
    const reach = await reachOf(deps, user);
    if (!reaches(reach, jurisdiction) && (await isKnown(deps, jurisdiction))) {
      await audit(deps.db, user, 'refused', jurisdiction, undefined, { reason: 'outsideReach', file: submission.file.name });
      throw new AuthoringRefusal('forbidden', `无权为 ${jurisdiction} 提交规则：本机关（${user.authority}）未绑定该辖区，也不是其规则的提出单位`, `You may not submit rulebooks of ${jurisdiction}: your authority is not bound to it and did not introduce it`);
    }
  }
  const problems = [...result.problems];
  if (result.rulebook) {
    const { id, version, revision } = result.rulebook;
    const shipped = deps.catalogue.fileVersion(fileVersionId(result.rulebook));
    const stored = await findLiveRevision(deps.db, id, version, revision);
    if (shipped || stored) {
      problems.push({
        path: 'revision',
        line: placeIn(result.parsed, ['revision']),
        check: 'version',
        message: `${id} version ${version} revision ${revision} exists already; a correction is a new revision`,
        zh: `${id} 的 ${version} 版第 ${revision} 次修订已存在；更正须作为新的修订提交（修改 revision）`,
      });
    }
  }
  const audited = jurisdiction ?? '(unnamed)';
  await audit(deps.db, user, 'checked', audited, undefined, { file: submission.file.name, regulation: submission.regulation.name, problems: problems.length, found: auditedProblems(problems) });
  if (problems.length > 0 || !result.rulebook) {
    await audit(deps.db, user, 'refused', audited, undefined, { file: submission.file.name, problems: problems.length });
    throw new AuthoringRefusal('problems', `规则文件有 ${problems.length} 处问题，未提交`, `The rulebook file has ${problems.length} problems; nothing was submitted`, problems);
  }
  const rulebook = result.rulebook;
  return deps.db.transaction(async (tx) => {
    const stored = await insertVersion(tx, {
      rulebook,
      file: { name: submission.file.name, text: submission.file.text, sha256: sha256(submission.file.text) },
      regulation: { file: submission.regulation.name, text: submission.regulation.text, sha256: sha256(submission.regulation.text) },
      submittedBy: person(user),
    });
    await audit(tx, user, 'submitted', rulebook.id, stored.id, { version: rulebook.version, revision: rulebook.revision, file: stored.file.name, fileSha256: stored.file.sha256, regulationSha256: stored.regulation.sha256 });
    return stored;
  });
}

/** A version the caller may see: stored and in its reach (another's is not found, as a case of another authority is not). */
export async function versionInReach(deps: AuthoringDeps, user: Actor, id: string): Promise<StoredVersion> {
  const stored = /^[0-9a-f-]{36}$/.test(id) ? await findVersion(deps.db, id) : undefined;
  if (!stored || !reaches(await reachOf(deps, user), stored.jurisdiction)) throw new AuthoringRefusal('notFound', `未找到规则版本 ${id}`, `No rulebook version ${id}`);
  return stored;
}

/** A version by id for reading and comparing: a stored one in reach, or a shipped file's (`binhai@2021-10r3`). */
export async function anyVersionInReach(deps: AuthoringDeps, user: Actor, id: string): Promise<{ rulebook: Rulebook; versionId: string }> {
  const file = deps.catalogue.fileVersion(id);
  if (file) {
    if (!reaches(await reachOf(deps, user), file.rulebook.id)) throw new AuthoringRefusal('notFound', `未找到规则版本 ${id}`, `No rulebook version ${id}`);
    return { rulebook: file.rulebook, versionId: file.versionId };
  }
  const stored = await versionInReach(deps, user, id);
  return { rulebook: stored.rulebook, versionId: stored.id };
}

export interface Approval {
  inForceFrom: IsoDate;
  inForceUntil?: IsoDate | undefined;
}

/**
 * Puts a submitted version in force from a day: approved by another person than the one who
 * submitted it, from today or later and not before the regulation's own in-force date, and never on
 * a day another version of the jurisdiction is in force.
 */
export async function approveVersion(deps: AuthoringDeps, user: Actor, id: string, approval: Approval, today: IsoDate): Promise<StoredVersion> {
  const stored = await versionInReach(deps, user, id);
  const refuse = async (detail: Record<string, unknown>, error: AuthoringRefusal): Promise<never> => {
    await audit(deps.db, user, 'approvalRefused', stored.jurisdiction, stored.id, detail);
    throw error;
  };
  if (stored.status !== 'submitted') {
    return refuse({ reason: 'notSubmitted', status: stored.status }, new AuthoringRefusal('conflict', `该版本已${stored.status === 'approved' ? '批准' : '撤回'}，不能再批准`, `The version is ${stored.status}, not awaiting approval`));
  }
  if (stored.submittedBy.sub === user.sub) {
    return refuse(
      { reason: 'fourEyes' },
      new AuthoringRefusal('fourEyes', '提交人不得批准自己提交的规则版本（须由另一人批准）', 'The person who submitted a version may not approve it: another person must'),
    );
  }
  const problems: RulebookProblem[] = [];
  const field = (path: string, message: string, zh: string) => problems.push({ path, check: 'inForce', message, zh });
  if (compareDates(approval.inForceFrom, today) < 0) field('inForceFrom', `must be today (${today}) or later: a version is never in force for cases already opened`, `生效日期不得早于今日（${today}）`);
  if (compareDates(approval.inForceFrom, stored.rulebook.inForce) < 0) {
    field('inForceFrom', `must not be before ${stored.rulebook.inForce}, the day the regulation itself came into force (inForce)`, `生效日期不得早于该办法自身的施行日期 ${stored.rulebook.inForce}`);
  }
  if (approval.inForceUntil && compareDates(approval.inForceUntil, approval.inForceFrom) < 0) field('inForceUntil', 'must not be before inForceFrom', '失效日期不得早于生效日期');
  if (problems.length > 0) return refuse({ reason: 'dates', problems: auditedProblems(problems) }, new AuthoringRefusal('problems', '生效日期有误', 'The in-force dates are invalid', problems));

  return deps.db.transaction(async (tx) => {
    await lockJurisdiction(tx, stored.jurisdiction);
    // Within the lock: the approved versions as they are now, so two approvals together cannot both fit.
    const rows = (await approvedWindows(tx)).filter((r) => r.jurisdiction === stored.jurisdiction);
    const contents = await rulebooksOf(tx, rows.map((r) => r.id));
    const others: CatalogueWindow[] = [
      ...deps.catalogue.windows().filter((w) => w.origin === 'file' && w.rulebook.id === stored.jurisdiction),
      ...rows.map((r) => ({ rulebook: contents.get(r.id)!, from: r.from, until: r.until, versionId: r.id, origin: 'approved' as const })),
    ];
    const candidate: CatalogueWindow = { rulebook: stored.rulebook, from: approval.inForceFrom, until: approval.inForceUntil, versionId: stored.id, origin: 'approved' };
    const overlap = overlapOf(candidate, [...others, candidate]);
    if (overlap) {
      const other = overlap.other as CatalogueWindow;
      const what = `${other.rulebook.id} ${other.rulebook.version} 第${other.rulebook.revision}次修订`;
      const problem: RulebookProblem = {
        path: 'inForceFrom',
        check: 'inForce',
        message: `on ${overlap.day} ${other.versionId} (${other.rulebook.version} revision ${other.rulebook.revision}) would be in force too: two versions of one jurisdiction are never in force on the same day`,
        zh: `${overlap.day} 当日 ${what} 亦将生效：同一辖区同一日只能有一个版本生效`,
      };
      await audit(tx, user, 'approvalRefused', stored.jurisdiction, stored.id, { reason: 'overlap', with: other.versionId, day: overlap.day });
      throw new AuthoringRefusal('conflict', problem.zh, problem.message, [problem], { overlapsWith: other.versionId, day: overlap.day });
    }
    const approved = await markApproved(tx, stored.id, person(user), approval.inForceFrom, approval.inForceUntil);
    if (!approved) throw new AuthoringRefusal('conflict', '该版本已不在待批准状态', 'The version is no longer awaiting approval');
    await audit(tx, user, 'approved', stored.jurisdiction, stored.id, { inForceFrom: approval.inForceFrom, inForceUntil: approval.inForceUntil ?? null, submittedBy: stored.submittedBy.sub });
    return approved;
  });
}

/** Withdraws a version not yet in force: a submitted one, or an approved one before its first day. */
export async function withdrawVersion(deps: AuthoringDeps, user: Actor, id: string, reason: string, today: IsoDate): Promise<StoredVersion> {
  const stored = await versionInReach(deps, user, id);
  if (stored.status === 'withdrawn') throw new AuthoringRefusal('conflict', '该版本已撤回', 'The version is already withdrawn');
  if (stored.status === 'approved' && compareDates(stored.inForceFrom!, today) <= 0) {
    throw new AuthoringRefusal(
      'conflict',
      `该版本自 ${stored.inForceFrom} 起已生效，不能撤回：如需更正，请提交新的修订并批准其生效`,
      `The version is in force since ${stored.inForceFrom} and cannot be withdrawn: submit a new revision and approve it instead`,
    );
  }
  return deps.db.transaction(async (tx) => {
    const withdrawn = await markWithdrawn(tx, stored.id, person(user), reason);
    if (!withdrawn) throw new AuthoringRefusal('conflict', '该版本已撤回', 'The version is already withdrawn');
    await audit(tx, user, 'withdrawn', stored.jurisdiction, stored.id, { reason, was: stored.status });
    return withdrawn;
  });
}
