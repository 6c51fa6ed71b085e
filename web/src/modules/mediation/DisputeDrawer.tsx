/**
 * One dispute: the eight steps as an antd Steps bar, the facts, the parties (phones masked), the
 * sessions, the agreement in a printable view, the history, and only the buttons the server says
 * will work. Assigning preselects the parties' chosen mediator.
 */
import { useState } from 'react';
import { App as AntApp, Button, Checkbox, DatePicker, Descriptions, Drawer, Form, Input, Modal, Select, Space, Spin, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { day, NEEDS, PERFORMED, REFERRALS, when, type DisputeDetail, type Mediator, type StepResult, type StepStatus } from './types';
import { AgreementView } from './AgreementView';

const ANT_STATUS: Record<StepStatus, 'finish' | 'process' | 'wait' | 'error'> = { finish: 'finish', process: 'process', wait: 'wait', error: 'error', skipped: 'wait' };

export function DisputeDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const d = useRemote(id ? () => api.get<DisputeDetail>(`/disputes/${id}`) : null, [id]);
  const [action, setAction] = useState<{ action: string; label: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [form] = Form.useForm();
  const pool = useRemote(action?.action === 'assign' && d.data ? () => api.get<{ items: Mediator[] }>('/mediation/mediators', { regionId: d.data!.regionId }) : null, [action?.action, d.data?.id]);

  const open = (a: { action: string; label: string }) => {
    form.resetFields();
    const x = d.data!;
    if (a.action === 'assign') form.setFieldsValue({ mediatorUserId: x.mediatorUserId ?? x.preferredMediator?.id });
    if (a.action === 'agree') form.setFieldsValue({ terms: [''], signedPartyIds: x.parties.filter((p) => p.side !== 'third').map((p) => p.id) });
    if (a.action === 'mediate') form.setFieldsValue({ place: x.sessionPlace ?? '' });
    setAction(a);
  };

  const submit = async () => {
    if (!action || !id) return;
    const v = await form.validateFields();
    const body: Record<string, unknown> = { ...v };
    if (v.sessionAt) body.sessionAt = v.sessionAt.toISOString();
    if (v.terms) body.terms = (v.terms as string[]).map((x) => x?.trim()).filter(Boolean);
    for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '') delete body[k];
    setBusy(true);
    try {
      const r = await api.post<StepResult>(`/disputes/${id}/${action.action}`, body, { idempotencyKey: idempotencyKey() });
      message.success(t('mediation.done'));
      setAction(null);
      onChanged();
      if (r.dispute) d.setData(r.dispute);
      else onClose();
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  const x = d.data;
  const needs = action ? NEEDS[action.action] ?? ['comment'] : [];
  const chosen = Form.useWatch('mediatorUserId', form);
  const preferred = x?.preferredMediator?.id;
  const current = x ? x.steps.findIndex((s) => s.status === 'process' || s.status === 'error') : 0;
  return (
    <Drawer open={id != null} onClose={onClose} width={860} title={x ? `${x.code} ${x.typeLabel}` : t('mediation.detail')}>
      {d.error ? <ErrorResult error={d.error} onRetry={d.reload} /> : !x ? <Spin /> : (
        <>
          <Steps
            size="small" data-testid="dispute-steps" style={{ marginBottom: 16 }} titlePlacement="vertical"
            current={current < 0 ? x.steps.length : current}
            items={x.steps.map((s) => ({ title: s.label, status: ANT_STATUS[s.status], content: s.status === "skipped" ? t("mediation.skipped") : s.at ? day(s.at) : undefined }))}
          />
          <Space wrap style={{ marginBottom: 16 }}>
            <Tag color={x.readOnly ? 'default' : x.overdue ? 'red' : 'blue'} data-testid="dispute-state">{x.stateLabel}</Tag>
            {x.overdue && <Tag color="red">{t('mediation.overdue')}</Tag>}
            {x.actions.map((a) => (
              <Button key={a.action} type={['accept', 'assign', 'agree', 'archive'].includes(a.action) ? 'primary' : 'default'} danger={a.action === 'reject' || a.action === 'fail'} onClick={() => open(a)} data-action={a.action}>{a.label}</Button>
            ))}
            {x.agreementText && <Button icon={<PrinterOutlined />} onClick={() => setPrinting(true)} data-testid="dispute-print">{t('mediation.printAgreement')}</Button>}
          </Space>
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item label={t('mediation.col.type')}>{x.typeLabel}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.col.level')}>{x.levelLabel}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.col.place')}>{x.villageName}{x.regionName !== x.villageName ? ` · ${x.regionName}` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.source')}>{x.sourceLabel}{x.sourceRef ? `：${x.sourceRef}` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.col.summary')} span={2}>{x.summary}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.claim')} span={2}>{x.claim}{x.amount ? `（${t('mediation.amount')} ${x.amount} 元）` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.preferred')}>{x.preferredMediator?.name ?? t('mediation.none')}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.col.mediator')}>{x.mediatorName ?? '—'}{x.assignReason ? `（${x.assignReason}）` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.acceptedAt')}>{when(x.acceptedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('mediation.col.deadline')}>{when(x.deadlineAt)}</Descriptions.Item>
            {x.rejectReason && <Descriptions.Item label={t('mediation.rejectReason')} span={2}>{x.rejectReason}</Descriptions.Item>}
            {x.findings && <Descriptions.Item label={t('mediation.findings')} span={2}>{x.findings}</Descriptions.Item>}
            {x.sessionPlace && <Descriptions.Item label={t('mediation.session')} span={2}>{when(x.sessionAt)} · {x.sessionPlace}</Descriptions.Item>}
            {x.referralLabel && <Descriptions.Item label={t('mediation.referral')} span={2}>{x.referralLabel}：{x.failReason}</Descriptions.Item>}
            {x.followUpResultLabel && <Descriptions.Item label={t('mediation.followUp')} span={2}>{x.followUpResultLabel}{x.followUpNote ? `：${x.followUpNote}` : ''}</Descriptions.Item>}
            {x.agreedAt && !x.followedUpAt && <Descriptions.Item label={t('mediation.followUpDue')} span={2}>{when(x.followUpDueAt)}</Descriptions.Item>}
            {x.dossierNo && <Descriptions.Item label={t('mediation.dossierNo')} span={2}>{x.dossierNo}</Descriptions.Item>}
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('mediation.parties')}</Typography.Title>
          <Table size="small" rowKey="id" pagination={false} dataSource={x.parties} columns={[
            { title: t('mediation.side'), dataIndex: 'sideLabel', width: 100 },
            { title: t('mediation.name'), dataIndex: 'name' },
            { title: t('mediation.phoneNo'), dataIndex: 'phoneMasked', render: (v: string | null) => v ?? '—' },
            { title: t('mediation.signed'), dataIndex: 'signedAt', render: (v: string | null) => (v ? when(v) : '—') },
          ]} />
          {x.sessions.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>{t('mediation.sessions')}</Typography.Title>
              {x.sessions.map((s) => (
                <Typography.Paragraph key={s.id}><Tag>{t('mediation.sessionNo', { n: s.seq })}</Tag>{when(s.heldAt)} · {s.place}{s.attendees ? ` · ${s.attendees}` : ''} · {s.mediatorName}<br />{s.record}</Typography.Paragraph>
              ))}
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('mediation.history')}</Typography.Title>
          <Timeline
            data-testid="dispute-history"
            items={x.history.map((h) => ({
              color: h.action === 'overdue' || h.action === 'reject' || h.action === 'fail' ? 'red' : h.action === 'warn' || h.action === 'follow_up_reminder' ? 'orange' : 'blue',
              content: (
                <div data-history={h.action}>
                  <b>{h.actionLabel}</b> · {h.actorName} · {when(h.at)}
                  {h.comment && <div>{h.comment}</div>}
                </div>
              ),
            }))}
          />
        </>
      )}
      <Modal open={!!action} title={action?.label} onCancel={() => setAction(null)} onOk={submit} confirmLoading={busy} destroyOnHidden width={620} okButtonProps={{ 'data-testid': 'dispute-step-ok' } as Record<string, string>}>
        <Form form={form} layout="vertical" preserve={false}>
          {needs.includes('mediatorUserId') && (
            <Form.Item name="mediatorUserId" label={t('mediation.col.mediator')} rules={[{ required: true }]} extra={preferred ? t('mediation.preferredHint', { name: x?.preferredMediator?.name }) : undefined}>
              <Select loading={pool.loading} data-testid="dispute-mediator" options={(pool.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.regionName}${m.id === preferred ? '，' + t('mediation.partiesChoice') : ''}）` }))} />
            </Form.Item>
          )}
          {needs.includes('reason') && (action?.action !== 'assign' || (chosen && preferred && chosen !== preferred)) && (
            <Form.Item name="reason" label={action?.action === 'assign' ? t('mediation.recusalReason') : action?.action === 'fail' ? t('mediation.failReason') : action?.action === 'escalate' ? t('mediation.escalateReason') : t('mediation.rejectReason')} rules={[{ required: true }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          )}
          {needs.includes('findings') && <Form.Item name="findings" label={t('mediation.findings')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={4000} /></Form.Item>}
          {needs.includes('rightsTold') && (
            <Form.Item name="rightsTold" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('mediation.rightsRequired')))) }]}>
              <Checkbox>{t('mediation.rightsTold')}</Checkbox>
            </Form.Item>
          )}
          {needs.includes('sessionAt') && <Form.Item name="sessionAt" label={t('mediation.sessionAt')} rules={[{ required: true }]}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>}
          {needs.includes('sessionPlace') && <Form.Item name="sessionPlace" label={t('mediation.sessionPlace')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>}
          {needs.includes('place') && <Form.Item name="place" label={t('mediation.sessionPlace')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>}
          {needs.includes('attendees') && <Form.Item name="attendees" label={t('mediation.attendees')}><Input maxLength={500} /></Form.Item>}
          {needs.includes('record') && <Form.Item name="record" label={t('mediation.record')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={4000} /></Form.Item>}
          {needs.includes('agreementText') && <Form.Item name="agreementText" label={t('mediation.agreementText')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={8000} /></Form.Item>}
          {needs.includes('terms') && (
            <Form.List name="terms">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                      <Form.Item name={f.name} label={t('mediation.term', { n: i + 1 })} rules={[{ required: true }]} style={{ width: 500 }}><Input maxLength={500} /></Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('mediation.remove')} />}
                    </Space>
                  ))}
                  <Button type="dashed" onClick={() => add('')} icon={<PlusOutlined />} style={{ marginBottom: 16 }}>{t('mediation.addTerm')}</Button>
                </>
              )}
            </Form.List>
          )}
          {needs.includes('signedPartyIds') && (
            <Form.Item name="signedPartyIds" label={t('mediation.signedBy')} rules={[{ required: true }]}>
              <Checkbox.Group options={(x?.parties ?? []).map((p) => ({ value: p.id, label: `${p.sideLabel} ${p.name}` }))} />
            </Form.Item>
          )}
          {needs.includes('referral') && <Form.Item name="referral" label={t('mediation.referral')} rules={[{ required: true }]}><Select options={REFERRALS.map((k) => ({ value: k, label: t(`mediation.referrals.${k}`) }))} /></Form.Item>}
          {needs.includes('performed') && <Form.Item name="performed" label={t('mediation.performed')} rules={[{ required: true }]}><Select options={PERFORMED.map((k) => ({ value: k, label: t(`mediation.performedOptions.${k}`) }))} /></Form.Item>}
          {needs.includes('note') && <Form.Item name="note" label={t('mediation.note')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>}
          {needs.includes('dossierNo') && <Form.Item name="dossierNo" label={t('mediation.dossierNo')} rules={[{ required: true }]}><Input maxLength={40} /></Form.Item>}
          {needs.includes('comment') && <Form.Item name="comment" label={t('mediation.comment')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>}
        </Form>
      </Modal>
      <Modal open={printing && !!x} onCancel={() => setPrinting(false)} width={760} title={t('mediation.agreementTitle')}
        footer={<Space><Button onClick={() => setPrinting(false)}>{t('mediation.close')}</Button><Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>{t('mediation.print')}</Button></Space>}>
        {x && <AgreementView d={x} />}
      </Modal>
    </Drawer>
  );
}
