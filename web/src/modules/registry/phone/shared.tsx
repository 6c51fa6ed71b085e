/** Bits shared by the registry's phone pages. */
import { useCallback, useRef, useState } from 'react';
import { Dialog, Input, List, Tag, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Page } from '../../../api';
import type { Resident } from '../../../shared/types';

/** Cursor paging for phone lists (InfiniteScroll). */
export function useInfinite<T>(path: string) {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const cursor = useRef<string | null>(null);
  const loadMore = useCallback(async () => {
    try {
      const p = await api.get<Page<T>>(path, { cursor: cursor.current, limit: 30 });
      cursor.current = p.nextCursor;
      setItems((xs) => [...xs, ...p.items]);
      setHasMore(!!p.nextCursor);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', String(e)));
      setHasMore(false);
    }
  }, [path]);
  return { items, error, hasMore, loadMore };
}

export function ResidentItem({ r }: { r: Resident }) {
  const { t } = useTranslation();
  return (
    <List.Item
      description={
        <div>
          <div className="m-mono">{t('registry.resident.idNumber')}：{r.idNumberMasked}</div>
          {r.phoneMasked && <div className="m-mono">{t('registry.resident.phone')}：{r.phoneMasked}</div>}
        </div>
      }
      extra={<span className="m-muted">{t(`registry.resident.statuses.${r.status}`)}</span>}
    >
      {r.name}
      <span className="m-muted" style={{ marginLeft: 8 }}>
        {r.relation} · {t(`registry.resident.genders.${r.gender}`)} · {t('registry.phone.age', { age: r.age })}
      </span>
      {r.political === 'party' && <Tag color="danger" fill="outline" style={{ marginLeft: 6 }}>{t('registry.resident.politicals.party')}</Tag>}
    </List.Item>
  );
}

/**
 * Call a resident: the number is revealed (purpose recorded in the audit log, as for any reveal),
 * then handed to the phone's dialer through a tel: link.
 */
export async function callResident(residentId: number, t: (k: string) => string): Promise<void> {
  let purpose = t('registry.phone.callPurpose');
  const ok = await Dialog.confirm({
    title: t('registry.phone.callTitle'),
    content: (
      <div>
        <p className="m-muted" style={{ marginTop: 0 }}>{t('registry.reveal.notice')}</p>
        <Input aria-label={t('registry.reveal.purpose')} defaultValue={purpose} onChange={(v) => { purpose = v; }} maxLength={100} />
      </div>
    ),
    confirmText: t('registry.phone.call'),
    cancelText: t('common.cancel'),
  });
  if (!ok) return;
  try {
    const r = await api.post<{ value: string }>(`/residents/${residentId}/reveal`, { field: 'phone', purpose: purpose.trim() });
    window.location.href = `tel:${r.value}`;
  } catch (e) {
    Toast.show({ icon: 'fail', content: e instanceof ApiError ? e.message : String(e) });
  }
}
