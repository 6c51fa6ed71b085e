/**
 * 积分规则: a village's versioned rule books — start a draft (from the county template or the
 * village's current book), edit it, see what it changes against the adopted book, adopt it at a meeting.
 */
import { useMemo, useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { useSession } from '../../shared/session';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useAction } from './shared';
import { ChangeTag, diffBooks, DiffSummary, RuleBookEditor, scoreText, type RuleBook as Book, type RuleItem as Item } from './RuleBookEditor';

/** The village's adopted book, or null when it has none yet (the API answers 409 then). */
function useAdopted(villageId: number | undefined) {
  return useRemote(villageId ? async () => {
    try {
      return await api.get<Book>(`/points/villages/${villageId}/current-rules`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'POINTS_NO_ADOPTED_RULES') return null;
      throw e;
    }
  } : null, [villageId]);
}

export default function RulesPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [openId, setOpenId] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [adopting, setAdopting] = useState<Book | null>(null);
  const books = useRemote(() => api.get<Book[]>('/points/rule-books', { villageId }), [villageId]);
  const book = useRemote(openId ? () => api.get<Book>(`/points/rule-books/${openId}`) : null, [openId]);
  const isDraft = book.data?.status === 'draft';
  const adopted = useAdopted(isDraft ? book.data!.villageId : undefined);
  const adoptingBook = useRemote(adopting ? () => api.get<Book>(`/points/rule-books/${adopting.id}`) : null, [adopting?.id]);
  const adoptingAdopted = useAdopted(adopting?.villageId);
  const act = useAction();
  const [form] = Form.useForm();
  const negativeLabel = t('points.negative');
  const open = (id: number | null) => { setEditing(false); setOpenId(id); };
  const diff = useMemo(() => (isDraft && adopted.data !== undefined && book.data
    ? diffBooks(adopted.data, { name: book.data.name, categories: book.data.categories ?? [], negative: book.data.negative ?? [] }, negativeLabel)
    : null), [isDraft, adopted.data, book.data, negativeLabel]);
  const adoptDiff = useMemo(() => (adoptingBook.data && adoptingAdopted.data !== undefined
    ? diffBooks(adoptingAdopted.data, { name: adoptingBook.data.name, categories: adoptingBook.data.categories ?? [], negative: adoptingBook.data.negative ?? [] }, negativeLabel)
    : null), [adoptingBook.data, adoptingAdopted.data, negativeLabel]);
  const newDraft = async (from: 'template' | 'current') => {
    let id = 0;
    if (await act(async () => { id = (await api.post<Book>('/points/rule-books', { villageId, from })).id; })) { books.reload(); open(id); setEditing(true); }
  };
  const itemColumns = [
    { title: t('points.rules.code'), dataIndex: 'code', width: 80 },
    { title: t('points.item'), dataIndex: 'name' },
    { title: t('points.score'), key: 's', render: (_: unknown, i: Item) => scoreText(i), width: 120 },
    ...(diff ? [{ title: t('points.rules.diff.column'), key: 'd', width: 160, render: (_: unknown, i: Item) => <ChangeTag change={diff.byCode.get(i.code)} /> }] : []),
  ];
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.rules.title')}</Typography.Title>
        <Space wrap>
          <RegionSelect value={villageId} onChange={setVillageId} maxLevel="village" aria-label={t('points.village')} />
          <Button type="primary" disabled={!villageId} onClick={() => newDraft('template')}>{t('points.rules.newDraft')}</Button>
          <Button disabled={!villageId} onClick={() => newDraft('current')}>{t('points.rules.newDraftFromCurrent')}</Button>
        </Space>
      </Space>
      {books.error ? <ErrorResult error={books.error} onRetry={books.reload} /> : (
        <Table rowKey="id" size="middle" loading={books.loading} dataSource={books.data ?? []} pagination={false}
          columns={[
            { title: t('points.rules.name'), dataIndex: 'name', render: (v: string, b: Book) => <a onClick={() => open(b.id)}>{v}</a> },
            { title: t('points.rules.version'), dataIndex: 'version' },
            { title: t('points.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'adopted' ? 'green' : s === 'draft' ? '#874d00' : undefined} variant={s === 'draft' ? 'solid' : undefined}>{t(`points.bookStatus.${s}`)}</Tag> },
            { title: t('points.rules.meeting'), dataIndex: 'meeting' },
            {
              title: t('points.actions'), key: 'a', render: (_: unknown, b: Book) => b.status === 'draft' ? (
                <Space size={0}>
                  {can('points.rules') && <Button size="small" type="link" onClick={() => { open(b.id); setEditing(true); }}>{t('points.rules.edit.open')}</Button>}
                  <Button size="small" type="link" onClick={() => { form.resetFields(); setAdopting(b); }}>{t('points.rules.adopt')}</Button>
                </Space>
              ) : null,
            },
          ]} />
      )}
      {book.error && <div style={{ marginTop: 16 }}><ErrorResult error={book.error} inline onRetry={book.reload} /></div>}
      {book.data && editing && isDraft && adopted.data !== undefined && (
        <div style={{ marginTop: 16 }}>
          <RuleBookEditor key={`${book.data.id}:${book.data.revision}`} book={book.data} adopted={adopted.data}
            onSaved={(b) => { book.setData(b); books.reload(); }}
            onCancel={() => { setEditing(false); book.reload(); }}
            onReload={book.reload}
            onDiscarded={() => { open(null); books.reload(); }} />
        </div>
      )}
      {book.data && !(editing && isDraft) && (
        <Card style={{ marginTop: 16 }} title={`${book.data.name}（${t(`points.bookStatus.${book.data.status}`)}）`}
          extra={
            <Space>
              {isDraft && can('points.rules') && <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="rules-edit">{t('points.rules.edit.open')}</Button>}
              <Button size="small" onClick={() => open(null)}>{t('points.close')}</Button>
            </Space>
          }>
          {book.data.status === 'adopted' && (
            <Descriptions size="small" column={2} items={[{ label: t('points.rules.meeting'), children: book.data.meeting }, { label: t('points.rules.resolution'), children: book.data.resolution }]} />
          )}
          {diff && <DiffSummary diff={diff} />}
          {book.data.categories?.map((c) => (
            <div key={c.id} style={{ marginTop: 12 }}>
              <Typography.Title level={3} style={{ fontSize: 16 }}>{c.name} {c.isExample && <Tag>{t('points.rules.example')}</Tag>}</Typography.Title>
              <Table rowKey="id" size="small" pagination={false} dataSource={c.items} columns={itemColumns} />
            </div>
          ))}
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 12 }}>{negativeLabel}</Typography.Title>
          <Table rowKey="id" size="small" pagination={false} dataSource={book.data.negative ?? []} columns={itemColumns} />
        </Card>
      )}
      <Modal open={!!adopting} title={t('points.rules.adoptTitle')} onCancel={() => setAdopting(null)} destroyOnHidden width={640}
        onOk={async () => {
          const v = await form.validateFields();
          if (await act(() => api.post(`/points/rule-books/${adopting!.id}/adopt`, v))) { setAdopting(null); setEditing(false); books.reload(); book.reload(); }
        }}>
        <Typography.Paragraph type="secondary">{t('points.rules.diff.beforeAdopt')}</Typography.Paragraph>
        {adoptDiff ? <DiffSummary diff={adoptDiff} /> : adoptingBook.error ? <ErrorResult error={adoptingBook.error} inline /> : null}
        <Form form={form} layout="vertical" style={{ marginTop: 12 }}>
          <Form.Item name="meeting" label={t('points.rules.meeting')} rules={[{ required: true, message: t('points.required') }]}><Input maxLength={200} placeholder={t('points.rules.meetingHint')} /></Form.Item>
          <Form.Item name="resolution" label={t('points.rules.resolution')} rules={[{ required: true, message: t('points.required') }]}><Input.TextArea maxLength={500} rows={3} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
