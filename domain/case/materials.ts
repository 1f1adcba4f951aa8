/**
 * The materials of a case file (案卷材料): their kinds, and the papers a step
 * carries. No Node APIs: the workflow, the API and the console import it.
 */
import { PAPER_STEPS } from '../rulebooks/schema';

/** The kinds every case file may hold; a rulebook may name kinds of its own (`materialKinds`). */
export const MATERIAL_KINDS = {
  application: '申请书',
  evidence: '证据材料',
  investigationReport: '调查报告',
  minutes: '会议纪要',
  proofOfService: '送达回证',
  other: '其他',
} as const;
export type BaseMaterialKind = keyof typeof MATERIAL_KINDS;
export const MATERIAL_KIND_PATTERN = /^[a-z][A-Za-z]{0,39}$/;

/** Kinds a party itself files (its own written application): a party may upload these to its own case only. */
export const PARTY_FILING_KINDS: readonly string[] = ['application'];

/** Kinds whose provenance must be written down: 写明调取过程和来源 (滨海 第十三条(二)). */
export const KINDS_WITH_PROVENANCE: readonly string[] = ['evidence'];

/**
 * The steps that may carry papers (a filing its written document, the report, the minutes, a served
 * notice its proof of service), besides `attachPapers`, which attaches papers to a step already taken.
 */
export const PAPER_ACTIONS = PAPER_STEPS;
export type PaperAction = (typeof PAPER_ACTIONS)[number];

/** A material as a step names it: which file, and the digests it was uploaded with. */
export interface PaperRef {
  materialId: string;
  kind: string;
  title: string;
  sha256: string;
  sm3: string;
}

/** A paper on the case's file: the step it belongs to, when and by whom it was attached. */
export interface AttachedPaper extends PaperRef {
  /** The step it belongs to. */
  step: PaperAction;
  at: string;
  by: { sub: string; name: string };
}

/** A written document the rulebook asks of a step, which the case does not have yet. */
export interface MissingPaper {
  requirement: string;
  step: PaperAction;
  label: string;
  kinds: string[];
  article: string;
  /** Since when it is missing: the step was taken without it. */
  since: string;
}

/** The kind's name, from the rulebook's own kinds first. */
export function materialKindLabel(kind: string, rulebookKinds: readonly { id: string; label: string }[] = []): string {
  return rulebookKinds.find((k) => k.id === kind)?.label ?? (MATERIAL_KINDS as Record<string, string>)[kind] ?? kind;
}
