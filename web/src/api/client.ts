// The one way the page talks to benefitd: same origin, `Authorization: Bearer <token>`, JSON
// bodies, problem+json refusals turned into ApiError (whose message is the problem's detail,
// in the server's words), and long-polls (If-None-Match + Prefer: wait=N).
import type { Problem } from './types';
import { storedToken } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    message: string,
  ) {
    super(message);
  }
  get code(): string | null {
    return this.problem?.code ?? null;
  }
}

export interface Answer<T> {
  status: number;
  body: T;
  etag: string | null;
}

export interface RequestOptions {
  body?: unknown;
  /** The ETag of what the caller has: answers 304 (body null) while it is still current. */
  etag?: string | null;
  /** With `etag`: wait up to this many seconds for a change (long-poll). */
  waitSeconds?: number;
  signal?: AbortSignal;
  /** The token to send instead of the stored one (signing in). */
  token?: string;
}

/** Called when the server no longer accepts the token (401): the page signs out. */
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

async function problemOf(response: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      problem = (await response.json()) as Problem;
    } catch {
      problem = null;
    }
  }
  const message = problem?.detail ?? problem?.title ?? `${response.status} ${response.statusText}`;
  return new ApiError(response.status, problem, message);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T | null>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token ?? storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.etag) {
    headers['If-None-Match'] = options.etag;
    if (options.waitSeconds) headers.Prefer = `wait=${options.waitSeconds}`;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      cache: 'no-store',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, null, 'The server cannot be reached.');
  }
  if (response.status === 401 && !options.token) onUnauthenticated();
  if (!response.ok && response.status !== 304) throw await problemOf(response);
  const etag = response.headers.get('ETag');
  if (response.status === 304 || response.status === 204) return { status: response.status, body: null, etag };
  return { status: response.status, body: (await response.json()) as T, etag };
}

/** A GET that must answer a body. */
export async function get<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const answer = await request<T>('GET', path, options);
  return answer.body as T;
}

/** A command (POST, PUT, DELETE); its answer's body, or null for 204. */
export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const answer = await request<T>(method, path, { body: method === 'DELETE' ? undefined : (body ?? {}) });
  return answer.body as T;
}

/** Builds "/v1/partners/P-1/benefits?limit=500" with every part encoded. */
export function apiPath(segments: readonly string[], query: Record<string, string | number | undefined> = {}): string {
  const path = '/v1/' + segments.map(encodeURIComponent).join('/');
  const parameters = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return parameters.length ? `${path}?${parameters.join('&')}` : path;
}
