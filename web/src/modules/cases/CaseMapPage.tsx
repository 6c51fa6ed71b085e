/**
 * 挂图作战: where the open cases are. Each village with open cases is a circle at its centre —
 * sized by how many are open, red if any is past its limit, amber if any is due within a day —
 * and cases reported with the phone's location are dots of their own light. The table beside it
 * ranks the villages by overdue cases; a row or a circle opens that village's cases.
 */
import { useEffect, useRef } from 'react';
import { Card, Space, Table, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { escapeHtml } from '../../shared/escapeHtml';

interface VillageOnMap { id: number; name: string; townshipName: string | null; lat: number | null; lng: number | null; open: number; yellow: number; red: number; supervised: number }
interface CaseOnMap { id: number; code: string; title: string; lat: number; lng: number; light: string | null; supervised: boolean }
interface CaseMapData { villages: VillageOnMap[]; points: CaseOnMap[] }

const COLOUR = { red: '#c62828', yellow: '#ef8f00', green: '#2e7d32' } as const;
const colourOf = (v: Pick<VillageOnMap, 'red' | 'yellow'>) => (v.red > 0 ? COLOUR.red : v.yellow > 0 ? COLOUR.yellow : COLOUR.green);


function OpenCasesMap({ data, onVillage, onCase }: { data: CaseMapData; onVillage: (id: number) => void; onCase: (id: number) => void }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let map: import('leaflet').Map | null = null;
    let cancelled = false;
    void (async () => {
      const L = await import('leaflet').then((m) => { void import('leaflet/dist/leaflet.css'); return m.default; });
      if (cancelled || !el.current) return;
      map = L.map(el.current, { attributionControl: false, scrollWheelZoom: false });
      const layer = L.featureGroup().addTo(map);
      const max = Math.max(1, ...data.villages.map((v) => v.open));
      for (const v of data.villages) {
        if (v.lat == null || v.lng == null) continue;
        L.circleMarker([v.lat, v.lng], { radius: 8 + 18 * Math.sqrt(v.open / max), color: '#5f0000', weight: 1, fillColor: colourOf(v), fillOpacity: 0.6 })
          .bindTooltip(`<strong>${escapeHtml(v.name)}</strong><br/>${t('cases.map.tooltip', { open: v.open, red: v.red, yellow: v.yellow, supervised: v.supervised })}`, { sticky: true })
          .on('click', () => onVillage(v.id))
          .addTo(layer);
      }
      for (const c of data.points) {
        L.circleMarker([c.lat, c.lng], { radius: 5, color: '#222', weight: 1, fillColor: COLOUR[(c.light ?? 'green') as keyof typeof COLOUR] ?? COLOUR.green, fillOpacity: 0.9 })
          .bindTooltip(`${escapeHtml(c.code)} ${escapeHtml(c.title)}`)
          .on('click', () => onCase(c.id))
          .addTo(layer);
      }
      const b = layer.getBounds();
      if (b.isValid()) map.fitBounds(b.pad(0.2), { maxZoom: 13 });
      else map.setView([27.06, 110.58], 9); // 洞口县 as a neutral default
    })();
    return () => {
      cancelled = true;
      map?.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  return <div ref={el} className="xz-map" style={{ height: 480 }} role="region" aria-label={t('cases.map.label')} />;
}

export default function CaseMapPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const r = useRemote(() => api.get<CaseMapData>('/cases/map'), []);
  const d = r.data;
  const openVillage = (id: number) => nav(`/cases?regionId=${id}`);
  const totals = d?.villages.reduce((a, v) => ({ open: a.open + v.open, red: a.red + v.red, yellow: a.yellow + v.yellow }), { open: 0, red: 0, yellow: 0 });
  return (
    <Card
      title={t('cases.map.title')}
      extra={totals && (
        <Space>
          <span>{t('cases.map.open', { n: totals.open })}</span>
          <Tag color="red">{t('cases.map.red', { n: totals.red })}</Tag>
          <Tag color="orange">{t('cases.map.yellow', { n: totals.yellow })}</Tag>
        </Space>
      )}
    >
      {r.error ? <ErrorResult error={r.error} onRetry={r.reload} /> : (
        <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(320px, 2fr)', gap: 16 }}>
          <div>
            {d && <OpenCasesMap data={d} onVillage={openVillage} onCase={(id) => nav(`/cases/${id}`)} />}
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('cases.map.legend')}</Typography.Paragraph>
          </div>
          <Table
            rowKey="id" size="small" loading={r.loading} pagination={{ pageSize: 12, hideOnSinglePage: true }}
            dataSource={d?.villages ?? []}
            onRow={(v) => ({ onClick: () => openVillage(v.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('cases.map.village'), dataIndex: 'name', render: (name: string, v: VillageOnMap) => <a onClick={() => openVillage(v.id)}>{v.townshipName ? `${v.townshipName} ${name}` : name}</a> },
              { title: t('cases.map.openCol'), dataIndex: 'open', width: 64 },
              { title: t('cases.map.redCol'), dataIndex: 'red', width: 64, render: (n: number) => (n > 0 ? <Typography.Text type="danger" strong>{n}</Typography.Text> : n) },
              { title: t('cases.map.yellowCol'), dataIndex: 'yellow', width: 64 },
              { title: t('cases.map.supervisedCol'), dataIndex: 'supervised', width: 64 },
            ]}
          />
        </div>
      )}
    </Card>
  );
}
