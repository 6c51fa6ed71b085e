/**
 * Cursor paging for console tables: keeps a stack of cursors so "上一页" works without offsets.
 *   const list = usePaged<HouseholdRow>('/households', { regionId, q });
 *   <Table dataSource={list.items} loading={list.loading} pagination={false} /> <PagerBar list={list} />
 * Changing the query (compared by value) starts again at the first page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type Page, type Query } from '../../api';

export interface Paged<T> {
  items: T[];
  loading: boolean;
  error: ApiError | null;
  pageIndex: number;
  hasNext: boolean;
  hasPrev: boolean;
  next: () => void;
  prev: () => void;
  reload: () => void;
}

export function usePaged<T>(path: string | null, query: Query = {}, limit = 20): Paged<T> {
  const key = JSON.stringify(query);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<T>>({ items: [], nextCursor: null });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);

  useEffect(() => setCursors([null]), [key, path]);

  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => {
    if (!path) return;
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    api.get<Page<T>>(path, { ...JSON.parse(key), cursor, limit }).then(
      (p) => { if (mine === seq.current) { setPage(p); setLoading(false); } },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', String(e)));
        setPage({ items: [], nextCursor: null });
        setLoading(false);
      },
    );
  }, [path, key, cursor, limit, tick]);

  return {
    items: page.items,
    loading,
    error,
    pageIndex: cursors.length,
    hasNext: !!page.nextCursor,
    hasPrev: cursors.length > 1,
    next: useCallback(() => { if (page.nextCursor) setCursors((c) => [...c, page.nextCursor]); }, [page.nextCursor]),
    prev: useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []),
    reload: useCallback(() => setTick((x) => x + 1), []),
  };
}
