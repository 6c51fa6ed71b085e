/** One service order in the console: facts, history, and only the steps the server offers.
 *  下单 lists the village's party members with the household's linked member first and preselected. */
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Descriptions, Drawer, Form, Input, Modal, Rate, Select, Space, Spin, Tag, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { when, type Candidate, type OrderDetail, type StepResult } from './types';

const TAG_COLOR: Record<string, string> = { requested: 'gold', assigned: 'blue', taken: 'processing', completed: 'orange', closed: 'green', cancelled: 'default' };

export function OrderDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const o = useRemote(id ? () => api.get<OrderDetail>(`/service-orders/${id}`) : null, [id]);
  const [action, setAction] = useState<{ action: string; label: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const cands = useRemote(action?.action === 'assign' && id ? () => api.get<{ items: Candidate[] }>(`/service-orders/${id}/candidates`) : null, [action?.action, id]);

  // Preselect the member linked to the household (the API lists linked members first).
  useEffect(() => {
    const first = cands.data?.items.find((c) => c.linked);
    if (first && action?.action === 'assign' && form.getFieldValue('memberId') == null) form.setFieldsValue({ memberId: first.memberId });
  }, [cands.data, action?.action, form]);

  const submit = async () => {
    if (!action || !id) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<StepResult>(`/service-orders/${id}/${action.action}`, v, { idempotencyKey: idempotencyKey() });
      message.success(t('serviceOrders.done'));
      setAction(null);
      form.resetFields();
      onChanged();
      if (r.order) o.setData(r.order);
      else o.reload();
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  const d = o.data;
  return (
    <Drawer open={id != null} onClose={onClose} width={640} title={d ? `${d.code} ${d.title}` : t('serviceOrders.detail')}>
      {o.error ? <ErrorResult error={o.error} onRetry={o.reload} /> : !d ? <Spin /> : (
        <>
          {d.actions.length > 0 && (
            <Space wrap style={{ marginBottom: 16 }}>
              {d.actions.map((a) => (
                <Button key={a.action} type={a.action === 'assign' ? 'primary' : 'default'} danger={a.action === 'cancel'} onClick={() => setAction(a)} data-action={a.action}>{a.label}</Button>
              ))}
            </Space>
          )}
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item label={t('serviceOrders.col.state')}><Tag color={TAG_COLOR[d.state]}>{d.stateLabel}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('serviceOrders.kind')}>{d.kind}</Descriptions.Item>
            <Descriptions.Item label={t('serviceOrders.requester')}>{d.requesterName}</Descriptions.Item>
            <Descriptions.Item label={t('serviceOrders.member')}>{d.memberName ?? t('serviceOrders.unassigned')}</Descriptions.Item>
            <Descriptions.Item label={t('serviceOrders.description')} span={2}>{d.description || '—'}</Descriptions.Item>
            {d.result && <Descriptions.Item label={t('serviceOrders.result')} span={2}>{d.result}</Descriptions.Item>}
            {d.rating != null && <Descriptions.Item label={t('serviceOrders.rating')} span={2}><Rate disabled value={d.rating} /></Descriptions.Item>}
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>{t('serviceOrders.history')}</h4>
          <Timeline
            items={d.history.map((h) => ({
              children: (
                <div data-history={h.action}>
                  <b>{t(`serviceOrders.actions.${h.action}`, { defaultValue: h.action })}</b> · {h.actorName} · {when(h.at)}
                  {h.comment && <div>{h.comment}</div>}
                </div>
              ),
            }))}
          />
        </>
      )}
      <Modal open={!!action} title={action?.label} onCancel={() => { setAction(null); form.resetFields(); }} onOk={submit} confirmLoading={busy} destroyOnHidden okText={t('common.ok', { defaultValue: '确定' })}>
        <Form form={form} layout="vertical">
          {action?.action === 'assign' && (
            <Form.Item name="memberId" label={t('serviceOrders.member')} rules={[{ required: true, message: t('serviceOrders.pickMember') }]} extra={t('serviceOrders.linkedHint')}>
              <Select
                showSearch optionFilterProp="label" loading={cands.loading} notFoundContent={cands.loading ? <Spin size="small" /> : t('serviceOrders.noMembers')}
                options={(cands.data?.items ?? []).map((c) => ({ value: c.memberId, label: c.linked ? `${c.name}（${t('serviceOrders.linked')}）` : c.name }))}
              />
            </Form.Item>
          )}
          <Form.Item name="comment" label={t('serviceOrders.comment')}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
