/** Small hooks and pieces the pages share. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { sm3 } from './sm3';

export interface Async<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Loads once per change of `deps`, and again on `reload()`; an API problem becomes its Chinese detail. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const current = useRef(0);
  const run = useCallback(async () => {
    const mine = ++current.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === current.current) setState({ data, loading: false });
    } catch (err) {
      if (mine === current.current) setState((s) => ({ ...s, error: err instanceof ApiError ? err.problem.detail : (err as Error).message, loading: false }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return { ...state, reload: run };
}

export function Loading({ what }: { what: string }) {
  return (
    <p aria-busy="true" className="muted">
      正在载入{what}…
    </p>
  );
}

export function ErrorNote({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="error">
      {children}
    </p>
  );
}

/** Sets the document title and moves focus to the page heading, so a screen reader hears the new page. */
export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · 容错免责办案工作台`;
    ref.current?.focus();
  }, [children]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Saves a Blob under its name (the browser's own download). */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** The SM3 of a file (console/src/sm3.ts: Web Crypto has none), over plain HTTP too. */
export async function sm3Hex(blob: Blob): Promise<string> {
  return sm3(new Uint8Array(await blob.arrayBuffer()));
}

/** The SHA-256 of a file, or undefined where the browser offers no Web Crypto (plain HTTP). */
export async function sha256Hex(blob: Blob): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
