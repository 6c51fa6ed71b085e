/**
 * Pick a region node from the caller's part of the tree (lazy: children load on expand).
 * `levels` limits which levels may be chosen (e.g. ['village'] for the roster import).
 */
import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import type { RegionLevel, RegionNode } from '../../shared/types';

interface Opt {
  id: number;
  pId: number | null;
  value: number;
  title: string;
  isLeaf: boolean;
  disabled?: boolean;
  level: RegionLevel;
}

export interface RegionSelectProps {
  value?: number | null;
  onChange?: (id: number | undefined, node?: { level: RegionLevel; name: string }) => void;
  levels?: RegionLevel[];
  /** Deepest level shown (groups are rarely needed as filters). */
  maxLevel?: RegionLevel;
  placeholder?: string;
  style?: React.CSSProperties;
  allowClear?: boolean;
  id?: string;
  'aria-label'?: string;
}

const ORDER: RegionLevel[] = ['county', 'township', 'village', 'group'];

export function RegionSelect({ value, onChange, levels, maxLevel = 'group', placeholder, style, allowClear = true, id, ...rest }: RegionSelectProps) {
  const { t } = useTranslation();
  const [opts, setOpts] = useState<Opt[]>([]);
  const deepest = ORDER.indexOf(maxLevel);

  const toOpt = (n: RegionNode, pId: number | null): Opt => ({
    id: n.id,
    pId,
    value: n.id,
    title: n.name,
    level: n.level,
    isLeaf: n.childCount === 0 || ORDER.indexOf(n.level) >= deepest,
    disabled: levels ? !levels.includes(n.level) : false,
  });

  useEffect(() => {
    api.get<RegionNode[]>('/regions/tree').then((roots) => setOpts(roots.map((n) => toOpt(n, null))), () => setOpts([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const loadData = async ({ id: parentId }: { id?: number }) => {
    if (!parentId || opts.some((o) => o.pId === parentId)) return;
    const kids = await api.get<RegionNode[]>('/regions/tree', { parentId });
    setOpts((prev) => [...prev, ...kids.filter((k) => !prev.some((p) => p.id === k.id)).map((k) => toOpt(k, parentId))]);
  };

  return (
    <TreeSelect<number>
      id={id}
      aria-label={rest['aria-label'] ?? t('common.region')}
      treeDataSimpleMode
      treeData={opts}
      loadData={loadData as never}
      value={value ?? undefined}
      onChange={(v) => {
        const o = opts.find((x) => x.id === v);
        onChange?.(v ?? undefined, o ? { level: o.level, name: o.title } : undefined);
      }}
      placeholder={placeholder ?? t('common.allRegions')}
      allowClear={allowClear}
      showSearch={false}
      style={{ minWidth: 200, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
