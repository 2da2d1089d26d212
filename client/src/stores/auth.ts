import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LoginResponse, Role } from '@shared/api-types.ts';

const SESSION_KEY = 'pulse.session';
const URL_TOKEN_PARAM = 'token';

interface StoredSession {
  token: string;
  role: Role;
  username: string;
  /** Epoch ms after which the server no longer accepts the token. */
  expiresAtMs: number;
  /** The session's idle expiry: the server renews it on every use. */
  idleSeconds?: number;
}

/** The wall's display token from its URL; only the wall reads one (a manager's session never belongs in a URL). */
function readUrlToken(): string | null {
  if (!/^\/wall\/?$/.test(window.location.pathname)) return null;
  const token = new URLSearchParams(window.location.search).get(URL_TOKEN_PARAM);
  return token && token.trim() ? token.trim() : null;
}

function removeUrlToken(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(URL_TOKEN_PARAM)) return;
  url.searchParams.delete(URL_TOKEN_PARAM);
  window.history.replaceState(window.history.state, '', url);
}

function readStoredSession(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof session.token !== 'string' || typeof session.expiresAtMs !== 'number') return null;
    if (session.expiresAtMs <= Date.now()) return null;
    return session as StoredSession;
  } catch {
    return null;
  }
}

/**
 * Who is signed in. On the wall a display token in the URL (`/wall?token=…`) wins and skips the login;
 * otherwise the manager's token from POST /api/auth/login, kept in sessionStorage for this tab. The
 * console never takes a token from its URL.
 */
export const useAuthStore = defineStore('auth', () => {
  const urlToken = readUrlToken();
  const stored = urlToken ? null : readStoredSession();

  const token = ref<string | null>(urlToken ?? stored?.token ?? null);
  const role = ref<Role | null>(stored?.role ?? null);
  const username = ref<string | null>(stored?.username ?? null);
  const fromUrl = ref(urlToken !== null);
  const isSignedIn = computed(() => token.value !== null);

  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  const dropAt = (expiresAtMs: number) => {
    clearTimeout(expiryTimer);
    // setTimeout overflows beyond ~24.8 days; such tokens are left to the server's 401.
    const delayMs = expiresAtMs - Date.now();
    if (delayMs < 2 ** 31 - 1) expiryTimer = setTimeout(drop, Math.max(0, delayMs));
  };
  if (stored) dropAt(stored.expiresAtMs);

  /** Keeps the session a successful login returned. */
  function signIn(response: LoginResponse): void {
    const session: StoredSession = {
      token: response.token,
      role: response.role,
      username: response.username,
      expiresAtMs: Date.now() + response.expiresInSeconds * 1000,
      idleSeconds: response.expiresInSeconds,
    };
    token.value = session.token;
    role.value = session.role;
    username.value = session.username;
    fromUrl.value = false;
    try {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    } catch {
      // Without storage the session lasts until the page reloads.
    }
    dropAt(session.expiresAtMs);
  }

  /** The server renewed the session's idle expiry (an authenticated call succeeded): so does the client. */
  function touch(): void {
    if (fromUrl.value || !token.value) return;
    const session = readStoredSession();
    if (!session?.idleSeconds || session.token !== token.value) return;
    session.expiresAtMs = Date.now() + session.idleSeconds * 1000;
    try {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    } catch {
      // Without storage the session lasts until the page reloads.
    }
    dropAt(session.expiresAtMs);
  }

  /** Forgets the token (expired, rejected, or signed out); the app falls back to the login page. */
  function drop(): void {
    clearTimeout(expiryTimer);
    token.value = null;
    role.value = null;
    username.value = null;
    if (fromUrl.value) removeUrlToken();
    fromUrl.value = false;
    try {
      sessionStorage.removeItem(SESSION_KEY);
    } catch {
      // Nothing stored.
    }
  }

  return { token, role, username, fromUrl, isSignedIn, signIn, touch, drop };
});
