// Views that stay current without a reload. Each view (by its path) is read once and shared by
// every component that shows it; a live view is then long-polled with its ETag
// (If-None-Match + Prefer: wait=N), so a status that changes on the server (fulfilment, a
// timer, another user) changes on screen. refresh() reads again at once (after a command; the
// server reads its own writes). Sharing matters: a browser holds at most six connections to
// one server, and each waiting long-poll holds one.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from './client';

/** Seconds a long-poll waits on the server before it answers 304 and is asked again. */
export const LONG_POLL_SECONDS = 25;
const RETRY_MS = 2000;

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  refresh: () => void;
}

/** Reads the view; `noteEtag` is given the ETag of the watched path's answer when the read has it. */
export type Loader<T> = (signal: AbortSignal, noteEtag: (etag: string | null) => void) => Promise<T>;

interface Entry {
  data?: unknown;
  error?: ApiError;
  load: Loader<unknown>;
  live: boolean;
  listeners: Set<() => void>;
  controller?: AbortController;
}

const entries = new Map<string, Entry>();

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Refusals that asking again will not change. */
function isFinal(error: ApiError): boolean {
  return [400, 401, 403, 404].includes(error.status);
}

function publish(entry: Entry): void {
  for (const listener of entry.listeners) listener();
}

/** Reads the view, then (when live) waits for its changes, until the entry is stopped. */
async function follow(key: string, entry: Entry, signal: AbortSignal): Promise<void> {
  let etag: string | null = null;
  while (!signal.aborted) {
    try {
      if (etag === null) {
        // The read reports the ETag of the watched path's answer (a list's first page).
        let seen: string | null = null;
        entry.data = await entry.load(signal, (answered) => {
          seen = answered;
        });
        etag = seen;
        entry.error = undefined;
        if (signal.aborted) return;
        publish(entry);
        if (!entry.live || !etag) return;
      }
      const answer = await request('GET', key, { etag, waitSeconds: LONG_POLL_SECONDS, signal });
      if (answer.status !== 304) etag = null;
    } catch (error) {
      if (signal.aborted) return;
      entry.error = error instanceof ApiError ? error : new ApiError(0, null, String(error));
      publish(entry);
      if (isFinal(entry.error)) return;
      etag = null;
      await pause(RETRY_MS, signal);
    }
  }
}

function start(key: string, entry: Entry): void {
  entry.controller?.abort();
  entry.controller = new AbortController();
  void follow(key, entry, entry.controller.signal);
}

/** Reads `key` again now, wherever it is shown. */
export function refreshView(key: string): void {
  const entry = entries.get(key);
  if (entry && entry.listeners.size) start(key, entry);
}

/**
 * The view at `key` (its path), read with `load` (e.g. every page of a list); `live`: kept
 * current by long-poll. A null key reads nothing.
 */
export function useLiveResource<T>(key: string | null, load: Loader<T>, live = true): Resource<T> {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let entry = entries.get(key);
    const listener = () => setTick((tick) => tick + 1);
    if (!entry) {
      entry = { load, live, listeners: new Set() };
      entries.set(key, entry);
    }
    entry.listeners.add(listener);
    if (entry.listeners.size === 1) {
      entry.load = load;
      entry.live = live;
      start(key, entry);
    } else if (live && !entry.live) {
      entry.live = true;
      start(key, entry);
    }
    listener();
    return () => {
      entry!.listeners.delete(listener);
      if (entry!.listeners.size === 0) {
        entry!.controller?.abort();
        entries.delete(key);
      }
    };
  }, [key, live]);
  const entry = key === null ? undefined : entries.get(key);
  return {
    data: entry?.data as T | undefined,
    error: entry?.error,
    refresh: () => key !== null && refreshView(key),
  };
}

/** A view read whole with one GET of `path`. */
export async function readOne<T>(path: string, signal: AbortSignal, noteEtag: (etag: string | null) => void): Promise<T> {
  const answer = await request<T>('GET', path, { signal });
  noteEtag(answer.etag);
  return answer.body as T;
}

/** Every item of a paged list (`{items, nextCursor}`), following nextCursor; the ETag noted is
 * the first page's (the path that is watched). */
export async function readAll<T>(
  path: string,
  signal: AbortSignal,
  noteEtag: (etag: string | null) => void = () => {},
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = cursor === null ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`;
    const answer = await request<{ items: T[]; nextCursor?: string | null }>('GET', url, { signal });
    if (cursor === null) noteEtag(answer.etag);
    const page = answer.body!;
    items.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor !== null && !signal.aborted);
  return items;
}

/** Forgets every view (signing out). */
export function forgetViews(): void {
  for (const entry of entries.values()) entry.controller?.abort();
  entries.clear();
}
