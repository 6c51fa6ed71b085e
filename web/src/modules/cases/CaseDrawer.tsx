/** One case: facts, photos, the full history, and only the buttons the server says will work. */
import { useState } from 'react';
import { App as AntApp, Button, Descriptions, Drawer, Form, Image, Input, InputNumber, Modal, Rate, Select, Space, Spin, Switch, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError, type Page } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { when, type CaseDetail, type StepResult } from './types';

const LIGHT_COLOR = { green: 'green', yellow: 'gold', red: 'red' } as const;

/** Which inputs an action needs. */
const NEEDS: Record<string, ('comment' | 'department' | 'days' | 'result' | 'rating' | 'target' | 'fixed')[]> = {
  escalate: ['comment'], dispatch: ['department', 'comment'], send_back: ['comment'], request_extension: ['days', 'comment'], reject_extension: ['comment'],
  approve_extension: ['comment'], suspend: ['comment'], resume: ['comment'], resolve: ['result'], rate: ['rating', 'comment'], reopen: ['comment'],
  confirm: ['fixed', 'comment'], merge: ['target', 'comment'], supervise: ['comment'], accept: [],
};

export function CaseDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const c = useRemote(id ? () => api.get<CaseDetail>(`/cases/${id}`) : null, [id]);
  const [action, setAction] = useState<{ action: string; label: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const deps = useRemote(action?.action === 'dispatch' ? () => api.get<Page<{ id: number; name: string }>>('/departments', { limit: 200 }) : null, [action?.action]);

  const submit = async () => {
    if (!action || !id) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<StepResult>(`/cases/${id}/${action.action}`, v, { idempotencyKey: idempotencyKey() });
      message.success(t('cases.done'));
      setAction(null);
      form.resetFields();
      onChanged();
      if (r.case) c.setData(r.case);
      else onClose();
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  const d = c.data;
  const needs = action ? NEEDS[action.action] ?? ['comment'] : [];
  return (
    <Drawer open={id != null} onClose={onClose} width={720} title={d ? `${d.code} ${d.title}` : t('cases.detail')}>
      {c.error ? <ErrorResult error={c.error} onRetry={c.reload} /> : !d ? <Spin /> : (
        <>
          <Space wrap style={{ marginBottom: 16 }}>
            {d.actions.map((a) => (
              <Button key={a.action} type={a.action === 'resolve' || a.action === 'accept' ? 'primary' : 'default'} onClick={() => setAction(a)} data-action={a.action}>{a.label}</Button>
            ))}
          </Space>
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item label={t('cases.col.state')}>{d.stateLabel} {d.light && <Tag color={LIGHT_COLOR[d.light]}>{t(`cases.light.${d.light}`)}</Tag>}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.level')}>{d.levelLabel}{d.departmentName ? ` · ${d.departmentName}` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.category')}>{d.categoryName}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.place')}>{d.regionName}{d.address ? ` · ${d.address}` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.reporter')}>{d.reporterName}（{t(`cases.source.${d.source}`)}{d.sourceRef ? `：${d.sourceRef}` : ''}）</Descriptions.Item>
            <Descriptions.Item label={t('cases.col.due')}>{when(d.dueAt)}</Descriptions.Item>
            <Descriptions.Item label={t('cases.description')} span={2}>{d.description}</Descriptions.Item>
            {d.result && <Descriptions.Item label={t(d.state === 'resolved' || d.state === 'closed' ? 'cases.result' : 'cases.previousResult')} span={2}>{d.result}</Descriptions.Item>}
            {d.rating != null && <Descriptions.Item label={t('cases.rating')} span={2}><Rate disabled value={d.rating} /></Descriptions.Item>}
          </Descriptions>
          {d.photos.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>{t('cases.photos')}</Typography.Title>
              <Image.PreviewGroup>{d.photos.map((p) => <Image key={p.id} src={p.url} width={120} alt={p.purpose} />)}</Image.PreviewGroup>
            </>
          )}
          {d.supervisions.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>{t('cases.supervisions')}</Typography.Title>
              {d.supervisions.map((s) => <Typography.Paragraph key={s.id}><Tag color="red">{s.issuerName}</Tag>{s.notice}（{when(s.createdAt)}）</Typography.Paragraph>)}
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('cases.history')}</Typography.Title>
          <Timeline
            items={d.history.map((h) => ({
              color: h.action === 'overdue' ? 'red' : h.action === 'warn' ? 'orange' : 'blue',
              children: (
                <div data-history={h.action}>
                  <b>{h.actionLabel}</b> · {h.actorName} · {when(h.at)}
                  {h.comment && <div>{h.comment}</div>}
                  {typeof h.data.dueAt === 'string' && <div style={{ color: '#666' }}>时限 {when(h.data.dueAt)}{typeof h.data.previousDueAt === 'string' ? `（原 ${when(h.data.previousDueAt)}）` : ''}</div>}
                </div>
              ),
            }))}
          />
        </>
      )}
      <Modal open={!!action} title={action?.label} onCancel={() => setAction(null)} onOk={submit} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical">
          {needs.includes('department') && (
            <Form.Item name="departmentId" label={t('cases.department')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" loading={deps.loading} options={(deps.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
            </Form.Item>
          )}
          {needs.includes('days') && <Form.Item name="days" label={t('cases.days')} rules={[{ required: true }]}><InputNumber min={1} max={30} /></Form.Item>}
          {needs.includes('result') && <Form.Item name="result" label={t('cases.result')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={2000} /></Form.Item>}
          {needs.includes('rating') && <Form.Item name="rating" label={t('cases.rating')} rules={[{ required: true }]}><Rate /></Form.Item>}
          {needs.includes('target') && <Form.Item name="targetId" label={t('cases.target')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>}
          {needs.includes('fixed') && <Form.Item name="fixed" label={t('cases.fixed')} valuePropName="checked" initialValue={true}><Switch /></Form.Item>}
          {needs.includes('comment') && <Form.Item name="comment" label={t('cases.comment')}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>}
        </Form>
      </Modal>
    </Drawer>
  );
}
