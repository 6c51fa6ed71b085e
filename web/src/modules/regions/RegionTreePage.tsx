/**
 * 区划树: the caller's part of the region tree, loaded level by level with counts. Selecting a node
 * shows its summary, a map of its children and a chart comparing them. URL: /regions/:id.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, AutoComplete, Breadcrumb, Button, Card, Col, Empty, Form, Input, Modal, Row, Skeleton, Space, Statistic, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { useSession } from '../../shared/session';
import type { RegionDetail, RegionHit, RegionNode } from '../../shared/types';
import { ErrorResult } from '../../console/components/ErrorResult';
import { RegionMap } from '../../console/components/RegionMap';
import { Chart } from '../../console/components/Chart';

interface Node extends TreeDataNode {
  key: number;
  data: RegionNode;
  children?: Node[];
}

function replaceChildren(list: Node[], key: number, children: Node[]): Node[] {
  return list.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: replaceChildren(n.children, key, children) } : n));
}

function hasLoaded(list: Node[], key: number): boolean {
  for (const n of list) {
    if (n.key === key) return !!n.children;
    if (n.children && hasLoaded(n.children, key)) return true;
  }
  return false;
}

export default function RegionTreePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const selectedId = id ? Number(id) : null;
  const [tree, setTree] = useState<Node[]>([]);
  const [treeError, setTreeError] = useState<ApiError | null>(null);
  const [expanded, setExpanded] = useState<number[]>([]);

  const toNode = useCallback((r: RegionNode): Node => ({
    key: r.id,
    data: r,
    isLeaf: r.childCount === 0,
    title: (
      <span>
        {r.name}
        <span className="xz-muted" style={{ fontSize: 12, marginLeft: 6 }}>
          {t('regions.treeCounts', { households: r.householdCount, residents: r.residentCount })}
        </span>
      </span>
    ),
  }), [t]);

  const loadChildren = useCallback(async (parentId: number) => {
    const kids = await api.get<RegionNode[]>('/regions/tree', { parentId });
    setTree((prev) => replaceChildren(prev, parentId, kids.map(toNode)));
  }, [toNode]);

  useEffect(() => {
    api.get<RegionNode[]>('/regions/tree').then(
      (roots) => {
        setTree(roots.map(toNode));
        // Open a single root so the first screen is not one lonely line; go to it when nothing is selected.
        if (roots.length === 1) {
          setExpanded([roots[0]!.id]);
          void loadChildren(roots[0]!.id);
          if (!selectedId) navigate(`/regions/${roots[0]!.id}`, { replace: true });
        }
      },
      (e: ApiError) => setTreeError(e),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const detail = useRemote(selectedId ? () => api.get<RegionDetail>(`/regions/${selectedId}`) : null, [selectedId]);

  // Opening /regions/:id directly: load and expand its ancestors so the node is visible in the tree.
  useEffect(() => {
    const d = detail.data;
    if (!d || tree.length === 0) return;
    void (async () => {
      for (const a of d.ancestors) if (!hasLoaded(tree, a.id)) await loadChildren(a.id).catch(() => undefined);
      setExpanded((e) => [...new Set([...e, ...d.ancestors.map((a) => a.id)])]);
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [detail.data?.id, tree.length]);

  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>{t('regions.title')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} lg={8} xl={7}>
          <Card size="small" title={t('regions.treeTitle')} extra={<RegionSearch onPick={(rid) => navigate(`/regions/${rid}`)} />}>
            {treeError ? <ErrorResult error={treeError} inline /> : tree.length === 0 ? <Skeleton active /> : (
              <Tree<Node>
                treeData={tree}
                blockNode
                showLine
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys as number[])}
                selectedKeys={selectedId ? [selectedId] : []}
                loadData={(n) => (n.children ? Promise.resolve() : loadChildren(n.key))}
                onSelect={(keys) => keys[0] && navigate(`/regions/${keys[0]}`)}
                style={{ maxHeight: 'calc(100vh - 220px)', overflow: 'auto' }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16} xl={17}>
          {!selectedId ? <Card><Empty description={t('regions.pickHint')} /></Card>
            : detail.error ? <ErrorResult error={detail.error} onRetry={detail.reload} />
            : !detail.data ? <Card><Skeleton active /></Card>
            : <RegionSummary detail={detail.data} onChanged={() => { detail.reload(); void loadChildren(detail.data!.id); }} />}
        </Col>
      </Row>
    </div>
  );
}

function RegionSearch({ onPick }: { onPick: (id: number) => void }) {
  const { t } = useTranslation();
  const [hits, setHits] = useState<RegionHit[]>([]);
  const [q, setQ] = useState('');
  useEffect(() => {
    const s = q.trim();
    if (!s) { setHits([]); return; }
    const h = setTimeout(() => api.get<RegionHit[]>('/regions/search', { q: s }).then(setHits, () => setHits([])), 250);
    return () => clearTimeout(h);
  }, [q]);
  return (
    <AutoComplete
      style={{ width: 180 }}
      value={q}
      onChange={setQ}
      options={hits.map((h) => ({ value: String(h.id), label: <span>{h.name} <span className="xz-muted" style={{ fontSize: 12 }}>{h.ancestorsText}</span></span> }))}
      onSelect={(v: string) => { setQ(''); onPick(Number(v)); }}
    >
      <Input.Search size="small" placeholder={t('regions.searchPlaceholder')} aria-label={t('regions.searchPlaceholder')} />
    </AutoComplete>
  );
}

function RegionSummary({ detail, onChanged }: { detail: RegionDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const [adding, setAdding] = useState(false);
  const children = useRemote(() => api.get<RegionNode[]>('/regions/tree', { parentId: detail.id }), [detail.id, detail.counts.childCount]);
  const c = detail.counts;
  const childLevel = { county: 'township', township: 'village', village: 'group', group: null }[detail.level];

  const chartOption = useMemo(() => {
    const kids = children.data ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: kids.length > 8 ? 72 : 36 },
      xAxis: { type: 'category', data: kids.map((k) => k.name), axisLabel: { rotate: kids.length > 8 ? 40 : 0, interval: 0 } },
      yAxis: [{ type: 'value', name: t('regions.households') }, { type: 'value', name: t('regions.partyMembers') }],
      series: [
        { name: t('regions.households'), type: 'bar', data: kids.map((k) => k.householdCount), itemStyle: { color: '#c62828' } },
        { name: t('regions.grids'), type: 'bar', data: kids.map((k) => k.gridCount), itemStyle: { color: '#f9a825' } },
        { name: t('regions.partyMembers'), type: 'bar', yAxisIndex: 1, data: kids.map((k) => k.partyMemberCount), itemStyle: { color: '#455a64' } },
      ],
    };
  }, [children.data, t]);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Typography.Title level={3} style={{ fontSize: 18, margin: 0 }}>{detail.name}</Typography.Title>
            <Tag color="red">{t(`common.level.${detail.level}`)}</Tag>
            <Typography.Text className="xz-muted" style={{ fontSize: 12 }}>{detail.code}</Typography.Text>
          </Space>
        }
        extra={
          <Space wrap>
            <Link to={`/households?regionId=${detail.id}`}>{t('regions.viewHouseholds')}</Link>
            <Link to={`/grids?regionId=${detail.id}`}>{t('regions.viewGrids')}</Link>
            {detail.level === 'village' && can('regions.manage') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('regions.addGroup')}</Button>
            )}
          </Space>
        }
      >
        {detail.ancestors.length > 0 && (
          <Breadcrumb style={{ marginBottom: 12 }}
            items={[...detail.ancestors.map((a) => ({ title: <Link to={`/regions/${a.id}`}>{a.name}</Link> })), { title: detail.name }]} />
        )}
        <div className="xz-stat-grid">
          {childLevel && <Statistic title={t('regions.childCount', { level: t(`common.level.${childLevel}`) })} value={c.childCount} />}
          <Statistic title={t('regions.households')} value={c.householdCount} />
          <Statistic title={t('regions.residents')} value={c.residentCount} />
          <Statistic title={t('regions.grids')} value={c.gridCount} />
          <Statistic title={t('regions.partyMembers')} value={c.partyMemberCount} />
        </div>
      </Card>
      {c.childCount > 0 && (
        <Row gutter={16}>
          <Col xs={24} xl={12}>
            <Card size="small" title={t('regions.mapTitle')}>
              <RegionMap regionId={detail.id} onSelect={(rid) => navigate(`/regions/${rid}`)} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card size="small" title={t('regions.chartTitle')}>
              {children.error ? <ErrorResult error={children.error} inline /> : !children.data ? <Skeleton active /> : (
                <Chart option={chartOption} height={360} label={t('regions.chartTitle')} />
              )}
            </Card>
          </Col>
        </Row>
      )}
      <AddGroupModal open={adding} village={detail} onClose={() => setAdding(false)} onDone={() => { setAdding(false); onChanged(); }} />
    </Space>
  );
}

function AddGroupModal({ open, village, onClose, onDone }: { open: boolean; village: RegionDetail; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<{ code: string; name: string }>('/regions', { parentId: village.id, name: v.name.trim() });
      message.success(t('regions.groupAdded', { name: r.name, code: r.code }));
      form.resetFields();
      onDone();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('regions.addGroupTitle', { village: village.name })} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('regions.groupName')} rules={[{ required: true, whitespace: true, max: 30 }]}>
          <Input placeholder={t('regions.groupNamePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
