/**
 * The signed-in user, shared by both entries (no antd here). Loads /auth/me once; pages ask
 * `useSession().can('registry.write')` to decide which buttons to show — the server still checks.
 */
import { forgetCachedAnswers } from './cachedAnswers';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthenticated } from '../api';

export interface Me {
  id: number;
  username: string;
  displayName: string;
  kind: string;
  householdId: number | null;
  departmentId: number | null;
  permissions: string[];
  grants: { role: string; regionId: number; regionLevel: string }[];
  mustEnrollTotp: boolean;
}

interface SessionValue {
  me: Me | null;
  loading: boolean;
  /** Re-read /auth/me (after login, TOTP enrolment). */
  reload: () => Promise<Me | null>;
  logout: () => Promise<void>;
  can: (permission?: string) => boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    try {
      const m = await api.get<Me>('/auth/me');
      setMe(m);
      return m;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.warn(e);
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    return onUnauthenticated(() => {
      setMe(null);
      void forgetCachedAnswers();
    });
  }, [reload]);

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      setMe(null);
      void forgetCachedAnswers();
    }
  }, []);

  const value = useMemo<SessionValue>(() => ({
    me,
    loading,
    reload,
    logout,
    can: (p?: string) => !p || !!me?.permissions.includes(p),
  }), [me, loading, reload, logout]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** Villagers get the villager phone home; every other account kind counts as staff. */
export function userKindOf(me: Me | null): 'villager' | 'staff' {
  return me?.kind === 'villager' ? 'villager' : 'staff';
}
