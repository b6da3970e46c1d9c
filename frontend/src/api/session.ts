// The signed-in session, kept in localStorage so that a reload stays signed in.

import type { User } from "./types";

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: User;
}

const KEY = "puxian.session";

export function loadSession(storage: Storage): Session | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.accessToken !== "string" || typeof value.refreshToken !== "string" || !value.user) {
      return null;
    }
    return value as Session;
  } catch {
    return null;
  }
}

export function saveSession(storage: Storage, session: Session | null): void {
  if (session) storage.setItem(KEY, JSON.stringify(session));
  else storage.removeItem(KEY);
}
