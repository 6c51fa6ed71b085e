/** 一事一记 (grid worker): find a household in my grid, then record one event for it. */
import { List, SearchBar } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { RecordForm } from './RecordForm';

interface Hh { id: number; name: string; address: string; villageId: number; spendable: number }

export default function Record() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<Hh | null>(null);
  const list = useRemote(() => api.get<Page<Hh>>('/points/recordable-households', { q: q || undefined, limit: 100 }), [q]);
  return (
    <PhonePage title={picked ? t('points.phone.recordFor', { name: picked.name }) : t('points.phone.record')}>
      {picked ? (
        <RecordForm villageId={picked.villageId} submitPath="/points/claims" extra={{ householdId: picked.id }}
          label={(item) => t('outbox.label.record', { name: picked.name, item })} onDone={() => setPicked(null)} />
      ) : (
        <>
          <div className="m-section"><SearchBar placeholder={t('points.phone.searchHousehold')} onSearch={setQ} onClear={() => setQ('')} /></div>
          {list.error ? <PhoneError error={list.error} onRetry={list.reload} /> : (
            <List mode="card">
              {(list.data?.items ?? []).map((h) => (
                <List.Item key={h.id} description={h.address} extra={`${h.spendable}${t('points.unit')}`} onClick={() => setPicked(h)}>{h.name}</List.Item>
              ))}
            </List>
          )}
        </>
      )}
    </PhonePage>
  );
}
