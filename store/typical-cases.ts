/**
 * The typical-case summaries (典型案例) of concluded cases, kept with the case in the archive: the draft
 * as generated, the text as a member of staff reviewed and edited it, and once published, when and by
 * whom. A published text is never changed (the trigger of migration 91).
 */
import type { Queryable } from './db';

export interface TypicalCase {
  caseId: string;
  draft: string;
  text: string;
  status: 'draft' | 'published';
  draftedBy: { sub: string; name: string };
  draftedAt: string;
  reviewedBy: { sub: string; name: string } | null;
  publishedAt: string | null;
  scope: string | null;
}

interface Row {
  case_id: string;
  draft: string;
  text: string;
  status: 'draft' | 'published';
  drafted_by: { sub: string; name: string };
  drafted_at: Date | string;
  reviewed_by: { sub: string; name: string } | null;
  published_at: Date | string | null;
  scope: string | null;
}

const toCase = (r: Row): TypicalCase => ({
  caseId: r.case_id,
  draft: r.draft,
  text: r.text,
  status: r.status,
  draftedBy: r.drafted_by,
  draftedAt: new Date(r.drafted_at).toISOString(),
  reviewedBy: r.reviewed_by,
  publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
  scope: r.scope,
});

export async function findTypicalCase(db: Queryable, caseId: string): Promise<TypicalCase | undefined> {
  const rows = await db.query<Row>('select * from typical_cases where case_id = $1', [caseId]);
  return rows[0] && toCase(rows[0]);
}

/** A new draft, or the draft generated again while it is not published; a published one is returned as it is. */
export async function draftTypicalCase(db: Queryable, caseId: string, draft: string, by: { sub: string; name: string }): Promise<TypicalCase> {
  const rows = await db.query<Row>(
    `insert into typical_cases (case_id, draft, text, status, drafted_by) values ($1, $2, $2, 'draft', $3)
     on conflict (case_id) do update set draft = excluded.draft, text = excluded.draft, drafted_by = excluded.drafted_by, drafted_at = now()
       where typical_cases.status = 'draft'
     returning *`,
    [caseId, draft, JSON.stringify(by)],
  );
  return rows[0] ? toCase(rows[0]) : (await findTypicalCase(db, caseId))!;
}

/** The reviewed text, kept; published with it when `publish`. Undefined when there is no draft, or it was published. */
export async function reviewTypicalCase(db: Queryable, caseId: string, review: { text: string; publish: boolean; scope?: string | undefined; by: { sub: string; name: string } }): Promise<TypicalCase | undefined> {
  const rows = await db.query<Row>(
    `update typical_cases set text = $2, reviewed_by = $3, status = case when $4 then 'published' else 'draft' end,
            published_at = case when $4 then now() end, scope = $5
      where case_id = $1 and status = 'draft' returning *`,
    [caseId, review.text, JSON.stringify(review.by), review.publish, review.scope ?? null],
  );
  return rows[0] && toCase(rows[0]);
}
