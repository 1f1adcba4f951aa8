/**
 * Binding a closed case's file (建档): its documents' archival copies and
 * its materials, in the order of the procedure, into one PDF/A with a cover,
 * a 卷内文件目录 and a 备考表 (services/casefile/bind.ts), stored sealed with
 * its digests. Once per case: a retry, or the sweep after the case bound its
 * own, finds it bound and answers the same digests.
 */
import { Context } from '@temporalio/activity';
import { beijingDate } from '../domain/calendar';
import type { CaseState } from '../domain/case/contract';
import type { Authorities } from '../config/authorities';
import { bindCaseFile, type ItemToBind } from '../services/casefile/bind';
import { rulebookOfCase } from '../services/casefile/rulebook-of-case';
import type { PayloadKeyring } from '../services/codec/keys';
import type { ArchivalRenderer } from '../services/documents/render-pdf';
import { heartbeating } from '../services/heartbeating';
import { findBoundFile, saveBoundFile, type BoundFileRecord } from '../store/bound-files';
import type { Db } from '../store/db';
import { archivalFile, documentsOfCase } from '../store/documents';
import { materialFile, materialsOfCase } from '../store/materials';
import { renderArchivalCopies } from './documents';

/** 保管期限 where the archiving step set none: 永久, since a 容错免责 decision bears on the cadre's record for good (README, The case file). */
export const DEFAULT_RETENTION = '永久';

/** A stored file of the case no longer matches its digests: the file cannot be bound until it is restored. */
export class CaseFileIntegrity extends Error {
  override name = 'CaseFileIntegrity';
}

/** The file's title (案卷题名, GB/T 9705-2008 4.1.2: 责任者, 内容, 文种): the subject and the matter, shortened. */
export function caseFileTitle(state: CaseState): string {
  const matter = [...state.matter].length > 40 ? `${[...state.matter].slice(0, 40).join('')}…` : state.matter;
  return `${state.subject.name}（${state.subject.organisation}）${matter}容错免责案卷`;
}

export async function bindCase(db: Db, deps: { keyring: PayloadKeyring; renderer: ArchivalRenderer; authorities: Authorities }, state: CaseState, now = new Date()): Promise<BoundFileRecord> {
  const existing = await findBoundFile(db, state.caseId);
  if (existing) return existing;
  const rulebook = rulebookOfCase(state);
  const authority = deps.authorities.resolve(state.authority, rulebook ?? { id: state.jurisdiction, issuingBody: state.authority, documentNumberPrefix: '' });

  // Documents: their archival copies, rendered now where one is still missing.
  const documents = await documentsOfCase(db, state.caseId);
  await renderArchivalCopies(db, deps.renderer, documents.filter((d) => !d.archivalSha256).map((d) => d.documentId));
  const items: (ItemToBind & { anchor: string })[] = [];
  for (const doc of documents) {
    const file = await archivalFile(db, doc.documentId);
    if (!file?.intact) throw new CaseFileIntegrity(`the archival copy of ${doc.number} is missing or no longer matches its digests`);
    items.push({
      source: 'document',
      id: doc.documentId,
      reference: doc.number,
      responsible: authority.name,
      title: `《${doc.title}》`,
      date: beijingDate(Date.parse(doc.issuedAt)),
      kind: doc.kind,
      sha256: file.sha256,
      sm3: file.sm3 ?? '',
      content: { type: 'pdfa', bytes: file.bytes },
      anchor: doc.issuedAt,
    });
  }

  // Materials: each at the step it was attached to; otherwise where it entered the case (its upload), which is
  // where the procedure was then. Not by the date of its original: a contract of years before, gathered as
  // evidence, belongs with the investigation, not before the application.
  const attachedAt = new Map((state.papers?.attached ?? []).map((p) => [p.materialId, p.at]));
  const materials = await materialsOfCase(db, state.caseId);
  for (const m of materials.filter((x) => !x.withdrawal)) {
    const file = await materialFile(db, deps.keyring, m);
    if (!file.intact) throw new CaseFileIntegrity(`the material “${m.title}” no longer matches the digests taken at upload`);
    const anchor = attachedAt.get(m.materialId) ?? m.uploadedAt;
    const type = m.format === 'pdf' ? 'pdf' : m.format;
    items.push({
      source: 'material',
      id: m.materialId,
      reference: '',
      responsible: m.source ?? (m.kind === 'application' ? state.subject.name : authority.name),
      title: m.title,
      date: m.originalDate ?? beijingDate(Date.parse(m.uploadedAt)),
      kind: m.kind,
      sha256: m.sha256,
      sm3: m.sm3,
      content: { type, bytes: file.bytes } as ItemToBind['content'],
      anchor: new Date(anchor).toISOString(),
    });
  }
  // The order of the procedure: by when each entered it.
  items.sort((a, b) => (a.anchor === b.anchor ? Number(a.source === 'document') - Number(b.source === 'document') : a.anchor < b.anchor ? -1 : 1));

  const dates = items.map((i) => i.date).sort();
  const archivedOn = state.archive?.archivedOn ?? beijingDate(now.getTime());
  const bound = await bindCaseFile(
    {
      cover: {
        title: caseFileTitle(state),
        unit: authority.name,
        from: dates[0] ?? archivedOn,
        to: dates.at(-1) ?? archivedOn,
        retention: state.archive?.retention ?? DEFAULT_RETENTION,
        classification: state.archive?.classification,
        reference: state.archive?.reference,
      },
      items: items.map(({ anchor: _anchor, ...item }) => item),
      withdrawn: materials
        .filter((m) => m.withdrawal)
        .map((m) => ({ id: m.materialId, title: m.title, at: m.withdrawal!.at, by: m.withdrawal!.by.name, reason: m.withdrawal!.reason })),
      boundBy: state.archive?.archivedBy.name ?? `${authority.name}（系统立卷）`,
      boundOn: archivedOn,
      now,
    },
    deps.renderer,
  );
  return saveBoundFile(db, deps.keyring, { caseId: state.caseId, authority: state.authority, pdf: bound.pdf, pages: bound.pages, contents: bound.contents, validation: bound.validation });
}

export function caseFileActivities(db: Db, deps: { keyring: PayloadKeyring | undefined; renderer: ArchivalRenderer; authorities: Authorities }) {
  return {
    /** Binds the closed case's file; heartbeats throughout, since LibreOffice and the PDF/A check take seconds. */
    async bindCaseFile(request: { caseId: string; state: CaseState }): Promise<{ sha256: string; sm3: string; pages: number } | null> {
      // A worker built without payload keys (a test's) keeps no case files; every process of the product has them (config/resources.ts).
      if (!deps.keyring) return null;
      const keyring = deps.keyring;
      const context = Context.current();
      const record = await heartbeating(() => context.heartbeat(), () => bindCase(db, { ...deps, keyring }, request.state));
      return { sha256: record.sha256, sm3: record.sm3, pages: record.pages };
    },
  };
}
