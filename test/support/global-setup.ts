/** Installs the Temporal binaries and PostgreSQL before any test needs them (a no-op when present). */
export default async function globalSetup(): Promise<void> {
  // @ts-expect-error: plain ESM script without type declarations
  const tools = await import('../../scripts/tools.mjs');
  tools.ensureTemporalTools();
  tools.ensurePostgres();
}
