/** Pick a grid, optionally inside one region; searches by name/code on the server. */
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../api';
import type { Grid } from '../../shared/types';

export function GridSelect({ regionId, value, onChange, style, id, allowClear = true }: {
  regionId?: number | null; value?: number | null; onChange?: (v: number | null) => void; style?: React.CSSProperties; id?: string; allowClear?: boolean;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [grids, setGrids] = useState<Grid[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    const h = setTimeout(() => {
      setLoading(true);
      api.get<Page<Grid>>('/grids', { regionId, q: q.trim() || undefined, limit: 50 }).then((p) => setGrids(p.items), () => setGrids([])).finally(() => setLoading(false));
    }, 200);
    return () => clearTimeout(h);
  }, [regionId, q]);
  return (
    <Select<number>
      id={id}
      aria-label={t('registry.grid.grid')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear={allowClear}
      loading={loading}
      placeholder={t('registry.grid.pick')}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={grids.map((g) => ({ value: g.id, label: `${g.name}（${g.regionName}）` }))}
      style={{ minWidth: 180, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
