/** Picks one of the villages the caller may read in 村务公开; selects the first one by default. */
import { useEffect } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import type { Village } from './types';

export function VillagePicker({ value, onChange, allowAll }: { value?: number; onChange: (id: number | undefined) => void; allowAll?: boolean }) {
  const { t } = useTranslation();
  const r = useRemote(() => api.get<{ items: Village[] }>('/disclosure/villages'), []);
  useEffect(() => {
    if (!allowAll && value === undefined && r.data?.items[0]) onChange(r.data.items[0].id);
  }, [r.data, value, allowAll, onChange]);
  return (
    <Select
      showSearch optionFilterProp="label" style={{ width: 220 }} aria-label={t('disclosure.village')} placeholder={t('disclosure.village')} allowClear={allowAll}
      value={value} onChange={(v) => onChange(v ?? undefined)} loading={r.loading}
      options={(r.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.townshipName} ${v.name}` }))}
    />
  );
}
