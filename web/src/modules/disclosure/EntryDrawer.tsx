/** One finance entry: the sign-off chain as an antd Steps bar, the facts, the sign-offs, and only the buttons that will work. */
import { useState } from 'react';
import { App as AntApp, Button, Descriptions, Drawer, Form, Input, Modal, Space, Steps, Table, Tag, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { when, type EntryDetail } from './types';

export function EntryDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const d = useRemote(id ? () => api.get<EntryDetail>(`/disclosure/entries/${id}`) : null, [id]);
  const [action, setAction] = useState<{ action: string; label: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const x = d.data;

  const submit = async () => {
    if (!action || !id) return;
    const v = await form.validateFields();
    const body: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) if (val !== undefined && val !== '') body[k] = val;
    setBusy(true);
    try {
      const path = action.action === 'reverse' ? `/disclosure/entries/${id}/reverse` : `/disclosure/entries/${id}/${action.action}`;
      await api.post(path, body, { idempotencyKey: idempotencyKey() });
      message.success(t('disclosure.done'));
      setAction(null);
      onChanged();
      d.reload();
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={id !== null} onClose={onClose} size={720} title={x ? `${x.villageName} · ${x.kindLabel} ${x.amount} 元` : ''}
      extra={x && <Space>{x.actions.map((a) => <Button key={a.action} data-action={a.action} type={a.action === 'sign' ? 'primary' : 'default'} danger={a.action === 'return' || a.action === 'reverse'} onClick={() => { form.resetFields(); setAction(a); }}>{a.label}</Button>)}</Space>}>
      {d.error ? <ErrorResult error={d.error} onRetry={d.reload} /> : x && (
        <>
          {x.steps.length > 0 && (
            <Steps size="small" style={{ marginBottom: 24 }} data-testid="disclosure-steps"
              items={x.steps.map((s) => ({ title: s.label, status: s.status, content: s.by ? `${s.by}${s.comment ? `：${s.comment}` : ''}` : undefined }))} />
          )}
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item label={t('disclosure.col.state')}><Tag color={x.state === 'posted' ? 'green' : x.state === 'returned' ? 'red' : 'blue'}>{x.stateLabel}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.period')}>{x.period ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.date')}>{x.entryDate}</Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.category')}>{x.category}</Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.amount')}>{x.amount}</Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.method')}>{x.payMethodLabel}</Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.counterparty')}>{x.counterparty}</Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.voucher')}>{x.voucherNo}</Descriptions.Item>
            <Descriptions.Item label={t('disclosure.col.purpose')} span={2}>{x.purpose}</Descriptions.Item>
          </Descriptions>
          {x.signoffs.length > 0 && (
            <Table style={{ marginTop: 16 }} size="small" rowKey={(r) => `${r.round}-${r.stepIndex}-${r.at}`} pagination={false} title={() => t('disclosure.signoffs')} dataSource={x.signoffs}
              columns={[
                { title: '#', render: (_: unknown, r) => `${r.round}-${r.stepIndex + 1}` },
                { title: t('disclosure.steps'), dataIndex: 'label' },
                { title: t('disclosure.sign'), dataIndex: 'action', render: (a: string) => (a === 'sign' ? <Tag color="green">{t('disclosure.sign')}</Tag> : <Tag color="red">{t('disclosure.return')}</Tag>) },
                { title: t('disclosure.comment'), dataIndex: 'comment' },
                { title: '', dataIndex: 'by' },
                { title: '', dataIndex: 'at', render: when },
              ]} />
          )}
          <h4 style={{ marginTop: 16 }}>{t('disclosure.history')}</h4>
          <Timeline items={x.history.map((h) => ({ key: h.id, content: `${when(h.at)} ${h.actorName} ${t(`disclosure.${h.action}`)}${h.comment ? `：${h.comment}` : ''}` }))} />
        </>
      )}
      <Modal open={!!action} title={action?.label} onCancel={() => setAction(null)} onOk={submit} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical">
          {action?.action === 'reverse' ? (
            <Form.Item name="reason" label={t('disclosure.reason')} rules={[{ required: true, whitespace: true }]}><Input.TextArea maxLength={500} /></Form.Item>
          ) : (
            <Form.Item name="comment" label={action?.action === 'return' ? t('disclosure.reason') : t('disclosure.comment')} rules={[{ required: action?.action === 'return', whitespace: true }]}><Input.TextArea maxLength={500} /></Form.Item>
          )}
          {action?.action === 'resubmit' && (
            <>
              <Form.Item name="amount" label={t('disclosure.col.amount')} rules={[{ pattern: /^\d{1,12}(\.\d{1,2})?$/ }]}><Input /></Form.Item>
              <Form.Item name="voucherNo" label={t('disclosure.col.voucher')}><Input maxLength={40} /></Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Drawer>
  );
}
