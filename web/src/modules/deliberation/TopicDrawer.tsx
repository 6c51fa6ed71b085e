/**
 * One topic: the 四议两公开 stages as an antd Steps bar, the facts, the meetings with attendance,
 * the computed quorum and result and a small for/against/abstain chart, the history, and only
 * the buttons the server says will work; meetings, counts, remarks and the printable notice.
 */
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import dayjs from 'dayjs';
import { App as AntApp, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Spin, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { Chart } from '../../console/components/Chart';
import { KINDS, STEP_KINDS, day, when, type Meeting, type TopicDetail } from './types';

type Dialog = { kind: 'step'; action: string; label: string } | { kind: 'meeting' } | { kind: 'counts'; meeting: Meeting } | { kind: 'remark'; remark: 'guide' | 'objection' };

const NEEDS: Record<string, string[]> = {
  branch_propose: ['opinion'], committee_discuss: ['meetingId', 'record', 'opinion'], members_review: ['meetingId', 'comment'], resolve: ['meetingId', 'resolutionText'],
  publish: ['noticeText', 'noticeDates'], implement: ['comment'], complete: ['result'],
};

export function TopicDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const { message } = AntApp.useApp();
  const d = useRemote(id ? () => api.get<TopicDetail>(`/deliberation/topics/${id}`) : null, [id]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const x = d.data;
  const mode = Form.useWatch('voteMode', form);
  const kind = Form.useWatch('kind', form);

  const open = (dlg: Dialog) => {
    form.resetFields();
    if (dlg.kind === 'meeting') form.setFieldsValue({ announcedAt: dayjs(), voteMode: 'counts' });
    if (dlg.kind === 'step' && STEP_KINDS[dlg.action]) {
      const m = x?.meetings.filter((mm) => STEP_KINDS[dlg.action]!.includes(mm.kind) && mm.result && !mm.usedBy).pop();
      if (m) form.setFieldsValue({ meetingId: m.id });
    }
    if (dlg.kind === 'step' && dlg.action === 'publish') form.setFieldsValue({ noticeText: x?.resolutionText ?? '', noticeDates: [dayjs(), dayjs().add(7, 'day')] });
    setDialog(dlg);
  };

  const submit = async () => {
    if (!dialog || !id) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const opts = { idempotencyKey: idempotencyKey() };
      if (dialog.kind === 'step') {
        const body: Record<string, unknown> = { ...v };
        delete body.noticeDates;
        if (v.noticeDates) Object.assign(body, { noticeFrom: v.noticeDates[0].format('YYYY-MM-DD'), noticeTo: v.noticeDates[1].format('YYYY-MM-DD') });
        for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '' || body[k] === null) delete body[k];
        const r = await api.post<{ topic: TopicDetail | null }>(`/deliberation/topics/${id}/${dialog.action}`, body, opts);
        if (r.topic) d.setData(r.topic);
      } else if (dialog.kind === 'meeting') {
        await api.post(`/deliberation/topics/${id}/meetings`, {
          kind: v.kind, place: v.place, heldAt: v.heldAt.toISOString(), announcedAt: v.announcedAt?.toISOString(), voteMode: v.voteMode,
          ...(v.voteMode === 'open' ? { voteClosesAt: v.voteClosesAt.toISOString() } : { expected: v.expected }),
        }, opts);
        d.reload();
      } else if (dialog.kind === 'counts') {
        await api.post(`/deliberation/meetings/${dialog.meeting.id}/counts`, { present: v.present, for: v.for, against: v.against, abstain: v.abstain }, opts);
        d.reload();
      } else {
        d.setData(await api.post<TopicDetail>(`/deliberation/topics/${id}/remarks`, { kind: dialog.remark, text: v.text }, opts));
      }
      message.success(t('deliberation.done'));
      setDialog(null);
      onChanged();
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  const closeVote = async (m: Meeting) => {
    try {
      await api.post(`/deliberation/meetings/${m.id}/close`, {}, { idempotencyKey: idempotencyKey() });
      message.success(t('deliberation.done'));
      d.reload();
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };

  const counted = (x?.meetings ?? []).filter((m) => m.result);
  const chart = useMemo(() => ({
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: counted.map((m) => `${m.kindLabel} ${day(m.heldAt)}`) }, yAxis: { type: 'value', minInterval: 1 },
    series: (['for', 'against', 'abstain'] as const).map((k, i) => ({ name: t(`deliberation.vote.${k}`), type: 'bar', data: counted.map((m) => m[k]), itemStyle: { color: ['#389e0d', '#cf1322', '#8c8c8c'][i] } })),
  }), [JSON.stringify(counted.map((m) => [m.id, m.for, m.against, m.abstain]))]); // eslint-disable-line react-hooks/exhaustive-deps

  const needs = dialog?.kind === 'step' ? NEEDS[dialog.action] ?? ['comment'] : [];
  const current = x ? x.stages.findIndex((s) => s.status === 'process' || s.status === 'error') : 0;
  const stepMeetings = dialog?.kind === 'step' ? (x?.meetings ?? []).filter((m) => STEP_KINDS[dialog.action]?.includes(m.kind) && m.result && !m.usedBy) : [];

  return (
    <Drawer open={id != null} onClose={onClose} width={900} title={x ? `${x.code} ${x.title}` : t('deliberation.detail')}>
      {d.error ? <ErrorResult error={d.error} onRetry={d.reload} /> : !x ? <Spin /> : (
        <>
          <Steps size="small" data-testid="topic-steps" style={{ marginBottom: 16 }} titlePlacement="vertical" current={current < 0 ? x.stages.length : current}
            items={x.stages.map((s) => ({ title: s.label, status: s.status, content: s.at ? day(s.at) : undefined }))} />
          <Space wrap style={{ marginBottom: 16 }}>
            <Tag color={x.state === 'rejected' ? 'red' : x.state === 'done' ? 'green' : 'blue'} data-testid="topic-state">{x.stateLabel}</Tag>
            {x.actions.map((a) => <Button key={a.action} type="primary" onClick={() => open({ kind: 'step', ...a })} data-action={a.action}>{a.label}</Button>)}
            {x.can.manage && !['rejected', 'resolution_published', 'implementing', 'done'].includes(x.state) && <Button onClick={() => open({ kind: 'meeting' })} data-testid="meeting-new">{t('deliberation.meetingNew')}</Button>}
            {x.can.guide && <Button onClick={() => open({ kind: 'remark', remark: 'guide' })} data-testid="remark-guide">{t('deliberation.guide')}</Button>}
            {x.can.object && <Button danger onClick={() => open({ kind: 'remark', remark: 'objection' })} data-testid="remark-objection">{t('deliberation.objection')}</Button>}
            {x.noticeText && <Button icon={<PrinterOutlined />} onClick={() => nav(`/deliberation/${x.id}/notice`)} data-testid="topic-notice">{t('deliberation.notice')}</Button>}
          </Space>
          <Descriptions bordered size="small" column={2}>
            <Descriptions.Item label={t('deliberation.col.village')}>{x.villageName}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.col.category')}>{x.categoryLabel}{x.amount ? `（${x.amount} 元）` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.col.proposer')}>{x.proposerLabel}{x.signatures ? `（${t('deliberation.signatures')} ${x.signatures}）` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.col.createdAt')}>{when(x.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('deliberation.content')} span={2}>{x.content}</Descriptions.Item>
            {x.branchOpinion && <Descriptions.Item label={t('deliberation.branchOpinion')} span={2}>{x.branchOpinion}</Descriptions.Item>}
            {x.committeeRecord && <Descriptions.Item label={t('deliberation.committeeRecord')} span={2}>{x.committeeRecord}<br />{x.committeeOpinion}</Descriptions.Item>}
            {x.resolutionText && <Descriptions.Item label={t('deliberation.resolutionText')} span={2}>{x.resolutionText}</Descriptions.Item>}
            {x.noticeText && <Descriptions.Item label={t('deliberation.noticePeriod')} span={2}>{x.noticeFrom} — {x.noticeTo}</Descriptions.Item>}
            {x.implementationResult && <Descriptions.Item label={t('deliberation.implementationResult')} span={2}>{x.implementationResult}</Descriptions.Item>}
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('deliberation.meetings')}</Typography.Title>
          <Table size="small" rowKey="id" pagination={false} dataSource={x.meetings} data-testid="topic-meetings" columns={[
            { title: t('deliberation.meetingKind'), dataIndex: 'kindLabel', width: 110 },
            { title: t('deliberation.heldAt'), width: 200, render: (_, m: Meeting) => <>{when(m.heldAt)}<br /><Typography.Text type="secondary">{m.place} · {t('deliberation.announced', { n: m.noticeDays })}</Typography.Text></> },
            { title: t('deliberation.attendance'), width: 110, render: (_, m: Meeting) => (m.present == null ? `${t('deliberation.expected')} ${m.expected}` : `${m.present} / ${m.expected}`) },
            { title: t('deliberation.votes'), width: 160, render: (_, m: Meeting) => (m.result || m.voteMode === 'counts' ? `${m.for} / ${m.against} / ${m.abstain}` : t('deliberation.openVote')) },
            { title: t('deliberation.result'), width: 150, render: (_, m: Meeting) => (m.result ? <Tag color={m.result === 'passed' ? 'green' : 'red'} title={m.rule}>{m.resultLabel}</Tag> : '—') },
            { title: '', render: (_, m: Meeting) => x.can.manage && !m.result && !m.usedBy && (m.voteMode === 'counts'
              ? <Button size="small" onClick={() => open({ kind: 'counts', meeting: m })} data-testid={`meeting-counts-${m.id}`}>{t('deliberation.recordCounts')}</Button>
              : <Button size="small" onClick={() => void closeVote(m)}>{t('deliberation.closeVote')}</Button>) },
          ]} />
          {counted.length > 0 && <Chart option={chart} height={200} label={t('deliberation.chart')} />}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="topic-rules">
            {t('deliberation.rulesTitle')}：{Object.values(x.rules).join('；')}。{t('deliberation.noticeRule')}
          </Typography.Paragraph>
          <Typography.Title level={5}>{t('deliberation.history')}</Typography.Title>
          <Timeline data-testid="topic-history" items={x.history.map((h) => ({
            color: h.action === 'objection' ? 'red' : h.action === 'guide' ? 'orange' : 'blue',
            content: <div data-history={h.action}><b>{h.actionLabel}</b> · {h.actorName} · {when(h.at)}{h.comment && <div>{h.comment}</div>}</div>,
          }))} />
        </>
      )}
      <Modal open={!!dialog} title={dialog?.kind === 'step' ? dialog.label : dialog?.kind === 'meeting' ? t('deliberation.meetingNew') : dialog?.kind === 'counts' ? t('deliberation.recordCounts') : dialog?.kind === 'remark' ? t(`deliberation.${dialog.remark}`) : ''}
        onCancel={() => setDialog(null)} onOk={submit} confirmLoading={busy} destroyOnHidden width={620} okButtonProps={{ 'data-testid': 'topic-dialog-ok' } as Record<string, string>}>
        <Form form={form} layout="vertical" preserve={false}>
          {needs.includes('meetingId') && (
            <Form.Item name="meetingId" label={t('deliberation.meeting')} rules={[{ required: true }]} extra={stepMeetings.length ? undefined : t('deliberation.needMeeting')}>
              <Select options={stepMeetings.map((m) => ({ value: m.id, label: `${m.kindLabel} ${when(m.heldAt)}（${m.resultLabel}）` }))} />
            </Form.Item>
          )}
          {needs.includes('opinion') && <Form.Item name="opinion" label={t('deliberation.opinion')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>}
          {needs.includes('record') && <Form.Item name="record" label={t('deliberation.committeeRecord')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>}
          {needs.includes('resolutionText') && <Form.Item name="resolutionText" label={t('deliberation.resolutionText')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>}
          {needs.includes('noticeText') && <Form.Item name="noticeText" label={t('deliberation.noticeText')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={5000} /></Form.Item>}
          {needs.includes('noticeDates') && <Form.Item name="noticeDates" label={t('deliberation.noticePeriod')} rules={[{ required: true }]}><DatePicker.RangePicker /></Form.Item>}
          {needs.includes('result') && <Form.Item name="result" label={t('deliberation.implementationResult')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={5000} /></Form.Item>}
          {needs.includes('comment') && <Form.Item name="comment" label={t('deliberation.comment')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>}
          {dialog?.kind === 'meeting' && (
            <>
              <Space wrap>
                <Form.Item name="kind" label={t('deliberation.meetingKind')} rules={[{ required: true }]}><Select style={{ width: 160 }} data-testid="meeting-kind" options={KINDS.map((k) => ({ value: k, label: t(`deliberation.kind.${k}`) }))} /></Form.Item>
                {kind === 'villagers' && <Form.Item name="voteMode" label={t('deliberation.voteMode')}><Select style={{ width: 180 }} options={['counts', 'open'].map((k) => ({ value: k, label: t(`deliberation.mode.${k}`) }))} /></Form.Item>}
              </Space>
              <Space wrap>
                <Form.Item name="announcedAt" label={t('deliberation.announcedAt')} rules={[{ required: true }]}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="meeting-announced" /></Form.Item>
                <Form.Item name="heldAt" label={t('deliberation.heldAt')} rules={[{ required: true }]} extra={t('deliberation.noticeRule')}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="meeting-held" /></Form.Item>
              </Space>
              <Form.Item name="place" label={t('deliberation.place')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
              {mode === 'open' && kind === 'villagers'
                ? <Form.Item name="voteClosesAt" label={t('deliberation.voteClosesAt')} rules={[{ required: true }]} extra={t('deliberation.openHint')}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>
                : <Form.Item name="expected" label={t('deliberation.expected')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>}
            </>
          )}
          {dialog?.kind === 'counts' && (
            <>
              <Typography.Paragraph type="secondary">{dialog.meeting.rule}</Typography.Paragraph>
              <Space wrap>
                {(['present', 'for', 'against', 'abstain'] as const).map((k) => (
                  <Form.Item key={k} name={k} label={k === 'present' ? `${t('deliberation.present')}（${t('deliberation.expected')} ${dialog.meeting.expected}）` : t(`deliberation.vote.${k}`)} rules={[{ required: true }]}>
                    <InputNumber min={0} max={dialog.meeting.expected} data-testid={`counts-${k}`} />
                  </Form.Item>
                ))}
              </Space>
            </>
          )}
          {dialog?.kind === 'remark' && <Form.Item name="text" label={t(`deliberation.${dialog.remark}`)} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>}
        </Form>
      </Modal>
    </Drawer>
  );
}
