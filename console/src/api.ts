// The public API through the gateway (same origin). Calls carry the access token as a Bearer header
// (immune to CSRF); media elements (<img>, <video>) ride on the HttpOnly access_token cookie that
// login sets. A 401 refreshes the token pair once with the refresh token from the login answer.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

export interface Me {
  id: string;
  email: string;
  displayName?: string;
  roles: string[];
}

interface Session {
  accessToken: string;
  refreshToken: string;
  me: Me;
}

const KEY = 'clipflow.session';

export function session(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function isAdmin(): boolean {
  return session()?.me.roles.includes('admin') ?? false;
}

function save(s: Session | null) {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

export function accessToken(): string | undefined {
  return session()?.accessToken;
}

async function problem(response: Response): Promise<ApiError> {
  let detail = `The server answered HTTP ${response.status}.`;
  let code: string | undefined;
  try {
    const body = await response.json();
    detail = body.detail || body.title || detail;
    code = body.code;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, detail);
}

async function send(method: string, path: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
}

let refreshing: Promise<boolean> | null = null;

async function refresh(): Promise<boolean> {
  const s = session();
  if (!s) return false;
  refreshing ??= (async () => {
    const response = await send('POST', '/api/auth/refresh', { refreshToken: s.refreshToken });
    if (!response.ok) {
      save(null);
      return false;
    }
    const pair = await response.json();
    save({ ...s, accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    return true;
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** Seconds until the access token expires (its `exp` claim), or 0 when unknown. */
function secondsLeft(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp - Date.now() / 1000;
  } catch {
    return 0;
  }
}

/**
 * Refreshes the pair shortly before the access token expires (tokens live 15 min by default), so a
 * long tus upload or playback (Bearer header and the access_token cookie alike) never meets a 401.
 */
export async function freshToken(): Promise<string | undefined> {
  const s = session();
  if (s && secondsLeft(s.accessToken) < 120) await refresh();
  return accessToken();
}

window.setInterval(() => void freshToken(), 30_000);

/** A JSON call; resolves with the parsed body (undefined for 204), rejects with an ApiError. */
export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body, accessToken());
  if (response.status === 401 && session() && (await refresh())) {
    response = await send(method, path, body, accessToken());
  }
  if (response.status === 401 && !path.startsWith('/api/auth/login')) {
    save(null);
    window.dispatchEvent(new Event('clipflow:logged-out'));
  }
  if (!response.ok) throw await problem(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function login(email: string, password: string): Promise<Me> {
  const pair = await api<{ accessToken: string; refreshToken: string }>('POST', '/api/auth/login', { email, password });
  save({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, me: { id: '', email, roles: [] } });
  const me = await api<Me>('GET', '/api/auth/me');
  save({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, me });
  return me;
}

export async function logout(): Promise<void> {
  const s = session();
  try {
    if (s) await send('POST', '/api/auth/logout', { refreshToken: s.refreshToken }, s.accessToken);
  } finally {
    save(null);
  }
}

/** Keeps the cookie the media elements use as fresh as the token (the cookie lives as long as the token). */
export async function ensureFreshCookie(): Promise<void> {
  try {
    await api('GET', '/api/auth/me');
  } catch {
    // the caller shows what fails
  }
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

export interface Video {
  id: string;
  ownerId: string;
  title: string;
  description?: string;
  category?: string;
  visibility: 'PRIVATE' | 'PLATFORM';
  fileName: string;
  sizeBytes: number;
  status: 'UPLOADING' | 'PROCESSING' | 'READY' | 'FAILED';
  progress?: number;
  durationSeconds?: number;
  width?: number;
  height?: number;
  renditions?: { name: string; width: number; height: number; bandwidth: number }[];
  createdAt: string;
  failureReason?: string;
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
