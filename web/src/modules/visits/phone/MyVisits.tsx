/** 入户走访 (phone, grid worker): my visits, follow-ups now due, and households nobody visited lately. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { InfiniteScroll, List, Selector, Skeleton, Tabs } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Page, type Query } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import type { UnvisitedHousehold, Visit } from '../types';
import { VisitItem } from './HouseholdVisits';

const DAYS = 30;

/** Cursor paging for an InfiniteScroll list; a new query starts again. */
function useInfinite<T>(path: string | null, query: Query) {
  const key = JSON.stringify(query);
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [hasMore, setHasMore] = useState(!!path);
  const cursor = useRef<string | null>(null);
  useEffect(() => { setItems([]); setError(null); setHasMore(!!path); cursor.current = null; }, [path, key]);
  const loadMore = useCallback(async () => {
    if (!path) return;
    try {
      const p = await api.get<Page<T>>(path, { ...JSON.parse(key), cursor: cursor.current, limit: 30 });
      cursor.current = p.nextCursor;
      setItems((xs) => [...xs, ...p.items]);
      setHasMore(!!p.nextCursor);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', String(e)));
      setHasMore(false);
    }
  }, [path, key]);
  return { items, error, hasMore, loadMore };
}

export default function MyVisits() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('mine');
  return (
    <PhonePage title={t('visits.phone.tile')}>
      <Tabs activeKey={tab} onChange={setTab}>
        <Tabs.Tab title={t('visits.phone.mine')} key="mine" />
        <Tabs.Tab title={t('visits.phone.due')} key="due" />
        <Tabs.Tab title={t('visits.phone.unvisited')} key="unvisited" />
      </Tabs>
      {tab === 'mine' && <VisitList query={{ mine: true }} empty={t('visits.none')} />}
      {tab === 'due' && <VisitList query={{ followUpDue: true }} empty={t('visits.phone.noDue')} />}
      {tab === 'unvisited' && <Unvisited />}
    </PhonePage>
  );
}

function VisitList({ query, empty }: { query: Query; empty: string }) {
  const { t } = useTranslation();
  const list = useInfinite<Visit>('/visits', query);
  if (list.error) return <PhoneError error={list.error} />;
  return (
    <>
      <List mode="card">{list.items.map((v) => <VisitItem key={v.id} v={v} />)}</List>
      <InfiniteScroll loadMore={list.loadMore} hasMore={list.hasMore}>
        {list.hasMore ? undefined : list.items.length ? t('visits.phone.noMore') : empty}
      </InfiniteScroll>
    </>
  );
}

/** Households of one of my grids whose latest visit is older than DAYS days (or who were never visited). */
function Unvisited() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const grids = useRemote(() => api.get<Page<{ id: number; name: string }>>('/me/grids', { limit: 50 }), []);
  const [gridId, setGridId] = useState<number | null>(null);
  const current = gridId ?? grids.data?.items[0]?.id ?? null;
  const list = useInfinite<UnvisitedHousehold>(current ? '/visits/unvisited' : null, { gridId: current, days: DAYS });
  if (grids.error) return <PhoneError error={grids.error} onRetry={grids.reload} />;
  if (!grids.data) return <div className="m-section"><Skeleton.Paragraph lineCount={4} animated /></div>;
  if (!current) return <p className="m-section m-muted">{t('visits.phone.noGrid')}</p>;
  return (
    <>
      {grids.data.items.length > 1 && (
        <div className="m-section">
          <Selector columns={2} options={grids.data.items.map((g) => ({ label: g.name, value: g.id }))} value={[current]} onChange={(v) => v[0] && setGridId(v[0])} />
        </div>
      )}
      <p className="m-section m-muted" style={{ marginBottom: 0 }}>{t('visits.phone.unvisitedHint', { days: DAYS })}</p>
      {list.error ? <PhoneError error={list.error} /> : (
        <>
          <List mode="card">
            {list.items.map((h) => (
              <List.Item key={h.id} arrowIcon onClick={() => nav(`/households/${h.id}`)}
                description={`${h.groupName} · ${h.address}`}
                extra={<span className="m-muted">{h.lastVisitedOn ? t('visits.lastVisited', { day: h.lastVisitedOn }) : t('visits.neverVisited')}</span>}>
                {h.householderName}
              </List.Item>
            ))}
          </List>
          <InfiniteScroll loadMore={list.loadMore} hasMore={list.hasMore}>
            {list.hasMore ? undefined : list.items.length ? t('visits.phone.noMore') : t('visits.phone.allVisited', { days: DAYS })}
          </InfiniteScroll>
        </>
      )}
    </>
  );
}
