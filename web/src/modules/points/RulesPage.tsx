/** 积分规则: a village's versioned rule books — start a draft from the county template, adopt it at a meeting. */
import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useAction } from './shared';

interface Item { id: number; code: string; name: string; kind: string; min: number; max: number }
interface Book { id: number; villageId: number; version: number; name: string; status: string; meeting: string | null; resolution: string | null; adoptedAt: string | null; categories?: { id: number; name: string; isExample: boolean; items: Item[] }[]; negative?: Item[] }

export default function RulesPage() {
  const { t } = useTranslation();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [openId, setOpenId] = useState<number | null>(null);
  const [adopting, setAdopting] = useState<Book | null>(null);
  const books = useRemote(() => api.get<Book[]>('/points/rule-books', { villageId }), [villageId]);
  const book = useRemote(openId ? () => api.get<Book>(`/points/rule-books/${openId}`) : null, [openId]);
  const act = useAction();
  const [form] = Form.useForm();
  const score = (i: Item) => (i.min === i.max ? `${i.min}` : `${i.min} ~ ${i.max}`);
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.rules.title')}</Typography.Title>
        <Space>
          <RegionSelect value={villageId} onChange={setVillageId} maxLevel="village" aria-label={t('points.village')} />
          <Button type="primary" disabled={!villageId} onClick={async () => {
            let id = 0;
            if (await act(async () => { id = (await api.post<Book>('/points/rule-books', { villageId, from: 'template' })).id; })) { books.reload(); setOpenId(id); }
          }}>{t('points.rules.newDraft')}</Button>
        </Space>
      </Space>
      {books.error ? <ErrorResult error={books.error} onRetry={books.reload} /> : (
        <Table rowKey="id" size="middle" loading={books.loading} dataSource={books.data ?? []} pagination={false}
          columns={[
            { title: t('points.rules.name'), dataIndex: 'name', render: (v: string, b: Book) => <a onClick={() => setOpenId(b.id)}>{v}</a> },
            { title: t('points.rules.version'), dataIndex: 'version' },
            { title: t('points.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'adopted' ? 'green' : s === 'draft' ? 'gold' : undefined}>{t(`points.bookStatus.${s}`)}</Tag> },
            { title: t('points.rules.meeting'), dataIndex: 'meeting' },
            { title: t('points.actions'), key: 'a', render: (_: unknown, b: Book) => b.status === 'draft' ? <Button size="small" type="link" onClick={() => { form.resetFields(); setAdopting(b); }}>{t('points.rules.adopt')}</Button> : null },
          ]} />
      )}
      {book.data && (
        <Card style={{ marginTop: 16 }} title={`${book.data.name}（${t(`points.bookStatus.${book.data.status}`)}）`} extra={<Button size="small" onClick={() => setOpenId(null)}>{t('points.close')}</Button>}>
          {book.data.status === 'adopted' && (
            <Descriptions size="small" column={2} items={[{ label: t('points.rules.meeting'), children: book.data.meeting }, { label: t('points.rules.resolution'), children: book.data.resolution }]} />
          )}
          {book.data.categories?.map((c) => (
            <div key={c.id} style={{ marginTop: 12 }}>
              <Typography.Title level={3} style={{ fontSize: 16 }}>{c.name} {c.isExample && <Tag>{t('points.rules.example')}</Tag>}</Typography.Title>
              <Table rowKey="id" size="small" pagination={false} dataSource={c.items}
                columns={[{ title: t('points.rules.code'), dataIndex: 'code', width: 80 }, { title: t('points.item'), dataIndex: 'name' }, { title: t('points.score'), key: 's', render: (_: unknown, i: Item) => score(i), width: 120 }]} />
            </div>
          ))}
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 12 }}>{t('points.negative')}</Typography.Title>
          <Table rowKey="id" size="small" pagination={false} dataSource={book.data.negative ?? []}
            columns={[{ title: t('points.rules.code'), dataIndex: 'code', width: 80 }, { title: t('points.item'), dataIndex: 'name' }, { title: t('points.score'), key: 's', render: (_: unknown, i: Item) => score(i), width: 120 }]} />
        </Card>
      )}
      <Modal open={!!adopting} title={t('points.rules.adoptTitle')} onCancel={() => setAdopting(null)} destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields();
          if (await act(() => api.post(`/points/rule-books/${adopting!.id}/adopt`, v))) { setAdopting(null); books.reload(); book.reload(); }
        }}>
        <Form form={form} layout="vertical">
          <Form.Item name="meeting" label={t('points.rules.meeting')} rules={[{ required: true, message: t('points.required') }]}><Input maxLength={200} placeholder={t('points.rules.meetingHint')} /></Form.Item>
          <Form.Item name="resolution" label={t('points.rules.resolution')} rules={[{ required: true, message: t('points.required') }]}><Input.TextArea maxLength={500} rows={3} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
