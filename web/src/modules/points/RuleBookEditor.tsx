/**
 * 积分规则草稿编辑 (console): categories and their items (code, name, a fixed score or a range), the
 * negative list; add, remove, reorder. Saved whole through PUT /points/rule-books/:id with the
 * revision it was read at — the server checks the content and its Chinese messages are shown beside
 * the rows they name; a draft someone else saved meanwhile is refused (409) and the editor offers
 * to reload it. 放弃草稿 deletes the draft (POST …/discard), leaving the adopted book as it is. Every item is
 * marked against the village's adopted book (by item code), so the meeting sees what changes.
 */
import { useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Input, InputNumber, Popconfirm, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';

export interface RuleItem { id?: number; code: string; name: string; kind?: string; min: number; max: number }
export interface RuleCategory { id?: number; name: string; isExample: boolean; items: RuleItem[] }
export interface RuleBook {
  id: number; villageId: number; version: number; revision?: number; name: string; status: string; meeting: string | null; resolution: string | null; adoptedAt: string | null;
  categories?: RuleCategory[]; negative?: RuleItem[];
}

// ── diff against the adopted book ─────────────────────────────────────────────────────────

export type ItemChange = { kind: 'added' } | { kind: 'changed'; before: RuleItem & { section: string }; fields: ('name' | 'score' | 'section')[] };
export interface BookDiff {
  byCode: Map<string, ItemChange>;
  added: number;
  changed: number;
  removed: (RuleItem & { section: string })[];
  reordered: boolean;
  renamed: boolean;
  /** No adopted book to compare with: everything is new. */
  firstBook: boolean;
}

interface Flat { code: string; item: RuleItem; section: string }
function flatten(categories: RuleCategory[], negative: RuleItem[], negativeLabel: string): Flat[] {
  return [
    ...categories.flatMap((c) => c.items.map((item) => ({ code: item.code.trim(), item, section: c.name.trim() }))),
    ...negative.map((item) => ({ code: item.code.trim(), item, section: negativeLabel })),
  ];
}

/** What a draft changes against the adopted book, item by item (matched by code). */
export function diffBooks(adopted: RuleBook | null, draft: { name: string; categories: RuleCategory[]; negative: RuleItem[] }, negativeLabel: string): BookDiff {
  const now = flatten(draft.categories, draft.negative, negativeLabel);
  const before = adopted ? flatten(adopted.categories ?? [], adopted.negative ?? [], negativeLabel) : [];
  const old = new Map(before.map((b) => [b.code, b]));
  const byCode = new Map<string, ItemChange>();
  let added = 0;
  let changed = 0;
  for (const n of now) {
    const o = old.get(n.code);
    if (!o) { byCode.set(n.code, { kind: 'added' }); added++; continue; }
    const fields: ('name' | 'score' | 'section')[] = [];
    if (o.item.name.trim() !== n.item.name.trim()) fields.push('name');
    if (o.item.min !== n.item.min || o.item.max !== n.item.max) fields.push('score');
    if (o.section !== n.section) fields.push('section');
    if (fields.length) { byCode.set(n.code, { kind: 'changed', before: { ...o.item, section: o.section }, fields }); changed++; }
  }
  const codes = new Set(now.map((n) => n.code));
  const removed = before.filter((b) => !codes.has(b.code)).map((b) => ({ ...b.item, section: b.section }));
  const common = (xs: Flat[]) => xs.map((x) => x.code).filter((c) => codes.has(c) && old.has(c)).join('|');
  return {
    byCode, added, changed, removed, firstBook: !adopted,
    reordered: common(before) !== common(now),
    renamed: !!adopted && adopted.name.trim() !== draft.name.trim(),
  };
}

export const scoreText = (i: Pick<RuleItem, 'min' | 'max'>) => (i.min === i.max ? `${i.min}` : `${i.min} ~ ${i.max}`);

/** The summary a meeting reads before adopting: counts, then every removed item. */
export function DiffSummary({ diff }: { diff: BookDiff }) {
  const { t } = useTranslation();
  if (diff.firstBook) return <Alert type="info" showIcon title={t('points.rules.diff.firstBook')} />;
  const nothing = !diff.added && !diff.changed && !diff.removed.length && !diff.reordered && !diff.renamed;
  return (
    <Alert type={nothing ? 'success' : 'warning'} showIcon data-testid="rules-diff"
      title={nothing ? t('points.rules.diff.none') : t('points.rules.diff.summary', { added: diff.added, changed: diff.changed, removed: diff.removed.length })}
      description={nothing ? undefined : (
        <div>
          {diff.renamed && <div>{t('points.rules.diff.renamed')}</div>}
          {diff.reordered && <div>{t('points.rules.diff.reordered')}</div>}
          {diff.removed.length > 0 && (
            <div>
              {t('points.rules.diff.removedList')}
              <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                {diff.removed.map((r) => <li key={r.code}><Typography.Text delete>{r.code} {r.name}（{r.section}，{scoreText(r)}）</Typography.Text></li>)}
              </ul>
            </div>
          )}
        </div>
      )} />
  );
}

/** The marker on one item: 新增, or 已修改 with the adopted values in a tooltip. */
export function ChangeTag({ change }: { change: ItemChange | undefined }) {
  const { t } = useTranslation();
  if (!change) return null;
  if (change.kind === 'added') return <Tag color="green">{t('points.rules.diff.added')}</Tag>;
  const b = change.before;
  const was = change.fields.map((f) => (f === 'name' ? b.name : f === 'score' ? scoreText(b) : b.section)).join('；');
  return (
    <Tooltip title={`${t('points.rules.diff.was')}：${was}`}>
      <Tag color="orange">{t('points.rules.diff.changed')}（{change.fields.map((f) => t(`points.rules.diff.field.${f}`)).join('、')}）</Tag>
    </Tooltip>
  );
}

// ── editor ────────────────────────────────────────────────────────────────────────────────

interface EItem { key: number; code: string; name: string; fixed: boolean; min: number | null; max: number | null }
interface ECat { key: number; name: string; isExample: boolean; items: EItem[] }

/** Where a server problem points: 'categories.2.items.3.min' → category 2, item 3. */
interface Place { section: 'categories' | 'negative' | 'name' | 'other'; ci?: number; ii?: number }
function placeOf(field: string): Place {
  const p = field.split('.');
  if (p[0] === 'categories' && p[1] !== undefined && /^\d+$/.test(p[1])) return { section: 'categories', ci: Number(p[1]), ii: p[2] === 'items' && p[3] !== undefined ? Number(p[3]) : undefined };
  if (p[0] === 'negative' && p[1] !== undefined && /^\d+$/.test(p[1])) return { section: 'negative', ii: Number(p[1]) };
  if (p[0] === 'name') return { section: 'name' };
  return { section: 'other' };
}
interface Problem { field: string; reason: string }
function problemsOf(e: ApiError): Problem[] {
  const d = (e.details ?? {}) as { problems?: Problem[]; issues?: { field: string; message: string }[]; field?: string };
  if (Array.isArray(d.problems)) return d.problems;
  if (Array.isArray(d.issues)) return d.issues.map((x) => ({ field: x.field, reason: x.message }));
  if (typeof d.field === 'string') return [{ field: d.field, reason: e.message }];
  return [{ field: '', reason: e.message }];
}

function nextCode(existing: string[], prefix: string): string {
  let n = 0;
  for (const c of existing) {
    const m = c.match(/^([A-Za-z]*)(\d+)$/);
    if (m && m[1] === prefix) n = Math.max(n, Number(m[2]));
  }
  return `${prefix}${String(n + 1).padStart(2, '0')}`;
}
function prefixOf(items: { code: string }[], fallback: string): string {
  return items.map((i) => i.code.match(/^([A-Za-z]+)\d+$/)?.[1]).find(Boolean) ?? fallback;
}
function move<T>(xs: T[], i: number, d: -1 | 1): T[] {
  const j = i + d;
  if (j < 0 || j >= xs.length) return xs;
  const out = xs.slice();
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

export function RuleBookEditor({ book, adopted, onSaved, onCancel, onReload, onDiscarded }: {
  book: RuleBook; adopted: RuleBook | null; onSaved: (b: RuleBook) => void; onCancel: () => void;
  /** Read the draft again (after a stale save): the editor is rebuilt from what the server holds. */
  onReload: () => void;
  onDiscarded: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const seq = useRef(0);
  const toE = (i: RuleItem): EItem => ({ key: ++seq.current, code: i.code, name: i.name, fixed: i.min === i.max, min: i.min, max: i.max });
  const [name, setName] = useState(book.name);
  const [cats, setCats] = useState<ECat[]>(() => (book.categories ?? []).map((c) => ({ key: ++seq.current, name: c.name, isExample: c.isExample, items: c.items.map(toE) })));
  const [negative, setNegative] = useState<EItem[]>(() => (book.negative ?? []).map(toE));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [revision, setRevision] = useState(book.revision ?? 1);
  const [stale, setStale] = useState(false);

  const negativeLabel = t('points.negative');
  const outItem = (i: EItem): RuleItem => ({ code: i.code.trim(), name: i.name.trim(), min: i.min ?? NaN, max: (i.fixed ? i.min : i.max) ?? NaN });
  const content = useMemo(() => ({
    name,
    categories: cats.map((c) => ({ name: c.name, isExample: c.isExample, items: c.items.map(outItem) })),
    negative: negative.map(outItem),
  }), [name, cats, negative]);
  const diff = useMemo(() => diffBooks(adopted, content, negativeLabel), [adopted, content, negativeLabel]);

  const touch = () => { setDirty(true); };
  const updateCat = (ck: number, f: (c: ECat) => ECat) => { setCats((cs) => cs.map((c) => (c.key === ck ? f(c) : c))); touch(); };
  const updateItem = (ck: number | 'neg', ik: number, patch: Partial<EItem>) => {
    const f = (xs: EItem[]) => xs.map((x) => (x.key === ik ? { ...x, ...patch } : x));
    if (ck === 'neg') setNegative(f); else updateCat(ck, (c) => ({ ...c, items: f(c.items) }));
    touch();
  };
  const allCodes = () => [...cats.flatMap((c) => c.items.map((i) => i.code)), ...negative.map((i) => i.code)];
  const addItem = (ck: number | 'neg') => {
    if (ck === 'neg') {
      setNegative((xs) => [...xs, { key: ++seq.current, code: nextCode(allCodes(), prefixOf(xs, 'N')), name: '', fixed: true, min: -5, max: -5 }]);
    } else {
      const letters = cats.map((c) => prefixOf(c.items, '')).filter(Boolean);
      updateCat(ck, (c) => {
        const prefix = prefixOf(c.items, String.fromCharCode(65 + Math.min(25, letters.length)));
        return { ...c, items: [...c.items, { key: ++seq.current, code: nextCode(allCodes(), prefix), name: '', fixed: true, min: 1, max: 1 }] };
      });
    }
    touch();
  };

  const save = async () => {
    setSaving(true);
    setProblems([]);
    try {
      const saved = await api.put<RuleBook>(`/points/rule-books/${book.id}`, { revision, ...content });
      message.success(t('points.rules.saved'));
      setDirty(false);
      setRevision(saved.revision ?? revision + 1);
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'POINTS_RULE_BOOK_STALE') {
        setStale(true);
        message.error(e.message);
      } else if (e instanceof ApiError) {
        setProblems(problemsOf(e));
        message.error(e.message);
      } else message.error(String(e));
    } finally {
      setSaving(false);
    }
  };

  const discard = async () => {
    try {
      await api.post(`/points/rule-books/${book.id}/discard`, { revision });
      message.success(t('points.rules.edit.draftDiscarded'));
      onDiscarded();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'POINTS_RULE_BOOK_STALE') setStale(true);
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };

  // Problems by row, so each table shows its own next to the item.
  const rowProblems = (section: 'categories' | 'negative', ci: number | undefined, ii: number) =>
    problems.filter((p) => { const pl = placeOf(p.field); return pl.section === section && pl.ii === ii && (section === 'negative' || pl.ci === ci); });
  const catProblems = (ci: number) => problems.filter((p) => { const pl = placeOf(p.field); return pl.section === 'categories' && pl.ci === ci && pl.ii === undefined; });
  const otherProblems = problems.filter((p) => { const pl = placeOf(p.field); return pl.section === 'other' || pl.section === 'name'; });
  const where = (p: Problem) => {
    const pl = placeOf(p.field);
    if (pl.section === 'categories') return t('points.rules.edit.atCategory', { n: (pl.ci ?? 0) + 1, name: cats[pl.ci ?? 0]?.name ?? '' }) + (pl.ii !== undefined ? t('points.rules.edit.atItem', { n: pl.ii + 1 }) : '');
    if (pl.section === 'negative') return t('points.rules.edit.atNegative', { n: (pl.ii ?? 0) + 1 });
    return '';
  };

  const itemColumns = (ck: number | 'neg', ci: number | undefined, rows: EItem[], setRows: (f: (xs: EItem[]) => EItem[]) => void): ColumnsType<EItem> => [
    {
      title: t('points.rules.code'), dataIndex: 'code', width: 100,
      render: (v: string, r) => <Input value={v} maxLength={20} onChange={(e) => updateItem(ck, r.key, { code: e.target.value })} aria-label={t('points.rules.code')} />,
    },
    {
      title: t('points.item'), dataIndex: 'name',
      render: (v: string, r, i) => (
        <div>
          <Input value={v} maxLength={100} onChange={(e) => updateItem(ck, r.key, { name: e.target.value })} aria-label={t('points.item')}
            status={rowProblems(ck === 'neg' ? 'negative' : 'categories', ci, i).length ? 'error' : undefined} />
          {rowProblems(ck === 'neg' ? 'negative' : 'categories', ci, i).map((p, k) => <Typography.Text key={k} type="danger" style={{ display: 'block', fontSize: 12 }}>{p.reason}</Typography.Text>)}
        </div>
      ),
    },
    {
      title: t('points.score'), key: 'score', width: 300,
      render: (_: unknown, r) => (
        <Space size={4}>
          <Segmented size="small" value={r.fixed ? 'fixed' : 'range'} onChange={(v) => updateItem(ck, r.key, { fixed: v === 'fixed', max: r.max ?? r.min })}
            options={[{ value: 'fixed', label: t('points.rules.edit.fixed') }, { value: 'range', label: t('points.rules.edit.range') }]} />
          <InputNumber size="small" value={r.min} step={0.1} precision={1} style={{ width: 72 }} onChange={(v) => updateItem(ck, r.key, { min: v })} aria-label={r.fixed ? t('points.score') : t('points.rules.edit.min')} />
          {!r.fixed && <>~<InputNumber size="small" value={r.max} step={0.1} precision={1} style={{ width: 72 }} onChange={(v) => updateItem(ck, r.key, { max: v })} aria-label={t('points.rules.edit.max')} /></>}
        </Space>
      ),
    },
    { title: t('points.rules.diff.column'), key: 'diff', width: 150, render: (_: unknown, r) => <ChangeTag change={diff.byCode.get(r.code.trim())} /> },
    {
      title: t('points.actions'), key: 'op', width: 120,
      render: (_: unknown, r, i) => (
        <Space size={0}>
          <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => { setRows((xs) => move(xs, i, -1)); touch(); }} aria-label={t('points.rules.edit.up')} />
          <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === rows.length - 1} onClick={() => { setRows((xs) => move(xs, i, 1)); touch(); }} aria-label={t('points.rules.edit.down')} />
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => { setRows((xs) => xs.filter((x) => x.key !== r.key)); touch(); }} aria-label={t('points.rules.edit.removeItem')} />
        </Space>
      ),
    },
  ];

  return (
    <Card title={t('points.rules.edit.title', { version: book.version })} data-testid="rules-editor"
      extra={
        <Space>
          {dirty && <Typography.Text style={{ color: '#874d00' }}>{t('points.rules.edit.unsaved')}</Typography.Text>}
          <Popconfirm title={t('points.rules.edit.discardDraftConfirm')} onConfirm={discard} okButtonProps={{ danger: true }}>
            <Button danger data-testid="rules-discard">{t('points.rules.edit.discardDraft')}</Button>
          </Popconfirm>
          <Popconfirm title={t('points.rules.edit.discard')} disabled={!dirty} onConfirm={onCancel}>
            <Button onClick={() => { if (!dirty) onCancel(); }}>{t('points.close')}</Button>
          </Popconfirm>
          <Button type="primary" loading={saving} onClick={save} data-testid="rules-save">{t('points.rules.edit.save')}</Button>
        </Space>
      }>
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        {stale && (
          <Alert type="error" showIcon data-testid="rules-stale" title={t('points.rules.edit.stale')} description={t('points.rules.edit.staleHint')}
            action={<Button size="small" onClick={onReload} data-testid="rules-reload">{t('points.rules.edit.reload')}</Button>} />
        )}
        <DiffSummary diff={diff} />
        {otherProblems.length > 0 && <Alert type="error" showIcon title={otherProblems.map((p) => p.reason).join('；')} />}
        {problems.length > 0 && (
          <Alert type="error" showIcon data-testid="rules-problems"
            title={t('points.rules.edit.problems', { n: problems.length })}
            description={<ul style={{ margin: 0, paddingLeft: 20 }}>{problems.map((p, k) => <li key={k}>{where(p)}{p.reason}</li>)}</ul>} />
        )}
        <Input addonBefore={t('points.rules.name')} value={name} maxLength={100} onChange={(e) => { setName(e.target.value); touch(); }} aria-label={t('points.rules.name')} />
        {cats.map((c, ci) => (
          <Card key={c.key} size="small" type="inner"
            title={
              <Space wrap>
                <Input value={c.name} maxLength={40} style={{ width: 200 }} onChange={(e) => updateCat(c.key, (x) => ({ ...x, name: e.target.value }))}
                  aria-label={t('points.rules.edit.categoryName')} status={catProblems(ci).length ? 'error' : undefined} />
                <Checkbox checked={c.isExample} onChange={(e) => updateCat(c.key, (x) => ({ ...x, isExample: e.target.checked }))}>{t('points.rules.example')}</Checkbox>
                {catProblems(ci).map((p, k) => <Typography.Text key={k} type="danger">{p.reason}</Typography.Text>)}
              </Space>
            }
            extra={
              <Space size={0}>
                <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={ci === 0} onClick={() => { setCats((cs) => move(cs, ci, -1)); touch(); }} aria-label={t('points.rules.edit.up')} />
                <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={ci === cats.length - 1} onClick={() => { setCats((cs) => move(cs, ci, 1)); touch(); }} aria-label={t('points.rules.edit.down')} />
                <Popconfirm title={t('points.rules.edit.removeCategoryConfirm', { n: c.items.length })} onConfirm={() => { setCats((cs) => cs.filter((x) => x.key !== c.key)); touch(); }}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('points.rules.edit.removeCategory')} />
                </Popconfirm>
              </Space>
            }>
            <Table<EItem> rowKey="key" size="small" pagination={false} dataSource={c.items}
              columns={itemColumns(c.key, ci, c.items, (f) => updateCat(c.key, (x) => ({ ...x, items: f(x.items) })))} />
            <Button type="dashed" block icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => addItem(c.key)}>{t('points.rules.edit.addItem')}</Button>
          </Card>
        ))}
        <Button type="dashed" block icon={<PlusOutlined />} onClick={() => { setCats((cs) => [...cs, { key: ++seq.current, name: '', isExample: false, items: [] }]); touch(); }} data-testid="rules-add-category">
          {t('points.rules.edit.addCategory')}
        </Button>
        <Card size="small" type="inner" title={negativeLabel}>
          <Table<EItem> rowKey="key" size="small" pagination={false} dataSource={negative} columns={itemColumns('neg', undefined, negative, (f) => setNegative(f))} />
          <Button type="dashed" block icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => addItem('neg')}>{t('points.rules.edit.addNegative')}</Button>
        </Card>
      </Space>
    </Card>
  );
}
