import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from "./api.ts";
import type { CurrentUser, SessionResponse } from "./types.ts";

type Action = CurrentUser["permissions"][number];

interface Session {
  /** undefined while the first /auth/me is in flight; null when nobody is logged in. */
  user: CurrentUser | null | undefined;
  login: (username: string, password: string) => Promise<CurrentUser>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  can: (action: Action) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null | undefined>(undefined);

  const accept = useCallback((response: SessionResponse) => {
    setCsrfToken(response.csrfToken);
    setUser(response.user);
    return response.user;
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api.get<SessionResponse>("/api/v1/auth/me"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        setUser(null);
      } else {
        throw error;
      }
    }
  }, [accept]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setUser(null);
    });
    refresh().catch(() => setUser(null));
  }, [refresh]);

  const value = useMemo<Session>(
    () => ({
      user,
      refresh,
      login: async (username, password) =>
        accept(await api.post<SessionResponse>("/api/v1/auth/login", { username, password })),
      logout: async () => {
        try {
          await api.post("/api/v1/auth/logout");
        } finally {
          setCsrfToken(null);
          setUser(null);
        }
      },
      can: (action) => user?.permissions.includes(action) ?? false,
    }),
    [user, refresh, accept],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
