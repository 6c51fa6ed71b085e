/** 月度公示: a village's month — balances, totals by category (table + ECharts), the entries, publication by the supervision committee, the township's audit notes and year close, and a printable view. */
import { useCallback, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Space, Statistic, Table, Tag } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { Chart } from '../../console/components/Chart';
import { ErrorResult } from '../../console/components/ErrorResult';
import { VillagePicker } from './VillagePicker';
import { when, type StaffMonth } from './types';

export default function MonthsPage() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const [auditing, setAuditing] = useState(false);
  const [form] = Form.useForm();
  const m = month.format('YYYY-MM');
  const r = useRemote(villageId ? () => api.get<StaffMonth>(`/disclosure/villages/${villageId}/months/${m}`) : null, [villageId, m]);
  const d = r.data;
  const onVillage = useCallback((id: number | undefined) => setVillageId(id), []);

  const option = useMemo(() => {
    if (!d) return {};
    const cats = [...new Set(d.byCategory.map((c) => c.category))];
    const val = (kind: string, c: string) => (d.byCategory.find((x) => x.kind === kind && x.category === c)?.fen ?? 0) / 100;
    return {
      tooltip: { trigger: 'axis' }, legend: { data: [t('disclosure.kind.income'), t('disclosure.kind.expense')] },
      xAxis: { type: 'category', data: cats }, yAxis: { type: 'value', name: '元' },
      series: [
        { name: t('disclosure.kind.income'), type: 'bar', data: cats.map((c) => val('income', c)), itemStyle: { color: '#389e0d' } },
        { name: t('disclosure.kind.expense'), type: 'bar', data: cats.map((c) => val('expense', c)), itemStyle: { color: '#d46b08' } },
      ],
    };
  }, [d, t]);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      message.success(t('disclosure.done'));
      r.reload();
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };
  const publish = () => modal.confirm({ title: t('disclosure.publish'), content: t('disclosure.publishConfirm'), onOk: () => act(() => api.post(`/disclosure/villages/${villageId}/months/${m}/publish`, {})) });
  const closeYear = () => modal.confirm({ title: t('disclosure.closeYear'), content: `${month.year()}：${t('disclosure.closeConfirm')}`, onOk: () => act(() => api.post(`/disclosure/villages/${villageId}/close-year`, { year: month.year() })) });
  const audit = async () => {
    const v = await form.validateFields();
    await act(() => api.post(`/disclosure/villages/${villageId}/audits`, v));
    setAuditing(false);
  };

  return (
    <Card title={t('disclosure.menu.months')} className="disclosure-month" extra={(
      <Space className="no-print">
        <VillagePicker value={villageId} onChange={onVillage} />
        <DatePicker picker="month" allowClear={false} value={month} onChange={(v) => v && setMonth(v)} aria-label={t('disclosure.month')} disabledDate={(x) => x.isAfter(dayjs(), 'month')} />
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>{t('disclosure.print')}</Button>
      </Space>
    )}>
      <style>{'@media print { .no-print, .ant-layout-sider, .ant-layout-header { display: none !important; } }'}</style>
      {r.error ? <ErrorResult error={r.error} onRetry={r.reload} /> : d && (
        <>
          <h2 style={{ textAlign: 'center' }}>{d.villageName} {d.month} 财务公开</h2>
          <Space style={{ marginBottom: 12 }} wrap>
            {d.published ? <Tag color="green">{t('disclosure.published')}</Tag> : <Tag>{t('disclosure.unpublished')}</Tag>}
            {d.published && <span>{t('disclosure.publishedBy', { by: d.publishedBy, at: when(d.publishedAt) })}{d.note ? ` · ${d.note}` : ''}</span>}
            {d.yearClosed && <Tag color="purple">{t('disclosure.yearClosed', { year: month.year() })}</Tag>}
            <span className="no-print">
              {d.canPublish && <Button type="primary" onClick={publish} data-testid="disclosure-publish">{t('disclosure.publish')}</Button>}
              {d.canAudit && <Button style={{ marginLeft: 8 }} onClick={() => { form.resetFields(); form.setFieldsValue({ year: month.year(), quarter: Math.ceil((month.month() + 1) / 3) }); setAuditing(true); }}>{t('disclosure.audit')}</Button>}
              {d.canAudit && !d.yearClosed && <Button style={{ marginLeft: 8 }} danger onClick={closeYear}>{t('disclosure.closeYear')}</Button>}
            </span>
          </Space>
          {!d.published && d.pendingCount > 0 && <Alert type="info" style={{ marginBottom: 12 }} title={t('disclosure.pendingInMonth', { n: d.pendingCount })} />}
          <Space size={40} wrap style={{ marginBottom: 16 }} data-testid="disclosure-totals">
            <Statistic title={t('disclosure.opening')} value={d.opening} />
            <Statistic title={t('disclosure.income')} value={d.income} />
            <Statistic title={t('disclosure.expense')} value={d.expense} />
            <Statistic title={t('disclosure.closing')} value={d.closing} />
          </Space>
          {d.byCategory.length > 0 && <div className="no-print"><Chart label={t('disclosure.chart')} height={260} option={option} /></div>}
          <Table rowKey={(c) => `${c.kind}-${c.category}`} size="small" pagination={false} title={() => t('disclosure.byCategory')} dataSource={d.byCategory}
            columns={[{ title: t('disclosure.col.kind'), dataIndex: 'kindLabel' }, { title: t('disclosure.col.category'), dataIndex: 'category' }, { title: '笔数', dataIndex: 'count' }, { title: t('disclosure.col.amount'), dataIndex: 'amount', align: 'right' }]} />
          <Table style={{ marginTop: 16 }} rowKey="id" size="small" pagination={false} title={() => t('disclosure.entries')} dataSource={d.entries}
            columns={[
              { title: t('disclosure.col.date'), dataIndex: 'entryDate' }, { title: t('disclosure.col.kind'), dataIndex: 'kindLabel' }, { title: t('disclosure.col.category'), dataIndex: 'category' },
              { title: t('disclosure.col.counterparty'), dataIndex: 'counterparty' }, { title: t('disclosure.col.purpose'), dataIndex: 'purpose' },
              { title: t('disclosure.col.voucher'), dataIndex: 'voucherNo' }, { title: t('disclosure.col.method'), dataIndex: 'payMethodLabel' }, { title: t('disclosure.col.amount'), dataIndex: 'amount', align: 'right' },
            ]} />
          {d.audits.length > 0 && (
            <Descriptions style={{ marginTop: 16 }} bordered size="small" column={1} title={t('disclosure.audit')}>
              {d.audits.map((a) => <Descriptions.Item key={a.quarter} label={`${a.year} 年第 ${a.quarter} 季度`}>{a.opinion}（{a.by}，{when(a.at)}）</Descriptions.Item>)}
            </Descriptions>
          )}
        </>
      )}
      <Modal open={auditing} title={t('disclosure.audit')} onCancel={() => setAuditing(false)} onOk={audit} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Space>
            <Form.Item name="year" label={t('disclosure.year')} rules={[{ required: true }]}><InputNumber min={2000} max={2100} /></Form.Item>
            <Form.Item name="quarter" label={t('disclosure.quarter')} rules={[{ required: true }]}><InputNumber min={1} max={4} /></Form.Item>
          </Space>
          <Form.Item name="opinion" label={t('disclosure.opinion')} rules={[{ required: true, whitespace: true }]}><Input.TextArea maxLength={2000} rows={4} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
