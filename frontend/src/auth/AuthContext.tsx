import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { ApiClient } from "../api/client";
import { errorMessage, type ApiError } from "../api/errors";
import type { Session } from "../api/session";

interface AuthValue {
  client: ApiClient;
  session: Session | null;
  /** Why the last session ended without the user signing out (shown on the sign-in page). */
  endedBecause: string | null;
  login: (username: string, password: string) => Promise<void>;
  createFirstAdmin: (code: string, username: string, password: string) => Promise<void>;
  logout: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ client, children }: { client?: ApiClient; children: ReactNode }) {
  const [api] = useState(() => client ?? new ApiClient());
  const [session, setSession] = useState<Session | null>(api.currentSession);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);

  useEffect(
    () =>
      api.subscribe((next: Session | null, reason: ApiError | null) => {
        setSession(next);
        setEndedBecause(next === null && reason ? errorMessage(reason) : null);
      }),
    [api],
  );

  const value = useMemo<AuthValue>(
    () => ({
      client: api,
      session,
      endedBecause,
      login: async (username, password) => {
        await api.login(username, password);
      },
      createFirstAdmin: async (code, username, password) => {
        await api.createFirstAdmin(code, username, password);
      },
      logout: () => api.logout(),
    }),
    [api, session, endedBecause],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}

/** The signed-in session; only for components rendered behind RequireAuth. */
export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error("useSession without a session");
  return session;
}
