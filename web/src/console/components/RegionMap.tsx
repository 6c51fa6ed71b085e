/**
 * Leaflet map of a region's children from /regions/:id/children-geo. Base tiles come from 天地图
 * only when the server's /config carries a key; otherwise boundaries and points are drawn on a
 * plain background (the map still works offline / without a key). Leaflet loads on first use.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import type { GeoFeatureCollection } from '../../shared/types';
import { escapeHtml } from '../../shared/escapeHtml';

let configPromise: Promise<{ tiandituKey: string | null }> | null = null;
function loadConfig() {
  configPromise ??= api.get<{ tiandituKey: string | null }>('/config').catch(() => ({ tiandituKey: null }));
  return configPromise;
}

export function RegionMap({ regionId, onSelect }: { regionId: number; onSelect?: (id: number) => void }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let map: import('leaflet').Map | null = null;
    let cancelled = false;
    void (async () => {
      const [L, cfg, geo] = await Promise.all([
        import('leaflet').then((m) => { void import('leaflet/dist/leaflet.css'); return m.default; }),
        loadConfig(),
        api.get<GeoFeatureCollection>(`/regions/${regionId}/children-geo`).catch(() => null),
      ]);
      if (cancelled || !el.current) return;
      map = L.map(el.current, { attributionControl: !!cfg.tiandituKey, zoomControl: true, scrollWheelZoom: false });
      if (cfg.tiandituKey) {
        const tile = (layer: string) =>
          `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(cfg.tiandituKey!)}`;
        L.tileLayer(tile('vec'), { subdomains: '01234567', maxZoom: 18, attribution: '天地图' }).addTo(map);
        L.tileLayer(tile('cva'), { subdomains: '01234567', maxZoom: 18 }).addTo(map);
      }
      const features = geo?.features.filter((f) => f.geometry) ?? [];
      if (features.length === 0) {
        map.setView([27.06, 110.58], 9); // 洞口县 as a neutral default
        return;
      }
      const max = Math.max(1, ...features.map((f) => f.properties.householdCount));
      const layer = L.geoJSON(
        { type: 'FeatureCollection', features } as unknown as GeoJSON.FeatureCollection,
        {
          style: () => ({ color: '#b71c1c', weight: 1.5, fillColor: '#e57373', fillOpacity: 0.25 }),
          pointToLayer: (f, latlng) =>
            L.circleMarker(latlng, {
              radius: 6 + 14 * Math.sqrt((f.properties as { householdCount: number }).householdCount / max),
              color: '#8e0000', weight: 1, fillColor: '#e53935', fillOpacity: 0.55,
            }),
          onEachFeature: (f, lyr) => {
            const p = f.properties as GeoFeatureCollection['features'][number]['properties'];
            lyr.bindTooltip(`<strong>${escapeHtml(p.name)}</strong><br/>${t('regions.households')} ${p.householdCount} · ${t('regions.residents')} ${p.residentCount}`, { sticky: true });
            lyr.on('click', () => onSelect?.(p.id));
          },
        },
      ).addTo(map);
      const b = layer.getBounds();
      if (b.isValid()) map.fitBounds(b.pad(0.15), { maxZoom: 14 });
    })();
    return () => {
      cancelled = true;
      map?.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [regionId]);

  return <div ref={el} className="xz-map" role="region" aria-label={t('regions.mapLabel')} />;
}
