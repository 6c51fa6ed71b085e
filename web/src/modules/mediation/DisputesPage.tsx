/** 矛盾纠纷清单: by state, type, level, place, overdue; register a dispute; turn a case into one. */
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import { DisputeDrawer } from './DisputeDrawer';
import { day, LEVELS, TYPES, type DisputeDetail, type DisputeItem } from './types';

const LISTS = ['open', 'applied', 'mine', 'agreed', 'failed', 'archived', 'all'] as const;

export default function DisputesPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const params = useParams();
  const { message } = AntApp.useApp();
  const canManage = useSession().can('mediation.manage');
  const [list, setList] = useState<(typeof LISTS)[number]>('open');
  const [type, setType] = useState<string | undefined>();
  const [level, setLevel] = useState<string | undefined>();
  const [regionId, setRegionId] = useState<number | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState<'register' | 'fromCase' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const query = {
    state: list === 'all' || list === 'mine' ? undefined : list, mine: list === 'mine' || undefined, type, level, regionId, overdue: overdue || undefined, q: q || undefined,
  };
  const paged = usePaged<DisputeItem>('/disputes', query, 30);
  const openId = params.id ? Number(params.id) : null;

  const columns: ColumnsType<DisputeItem> = [
    { title: t('mediation.col.code'), dataIndex: 'code', width: 170, render: (v: string, r) => <a onClick={() => nav(`/disputes/${r.id}`)}>{v}</a> },
    { title: t('mediation.col.type'), dataIndex: 'typeLabel', width: 90 },
    { title: t('mediation.col.summary'), dataIndex: 'summary', ellipsis: true, width: 220 },
    { title: t('mediation.col.parties'), width: 150, render: (_, r) => `${r.applicantNames} ⇄ ${r.respondentNames}` },
    { title: t('mediation.col.place'), dataIndex: 'regionName', width: 110, render: (v: string, r) => (v === r.villageName ? v : `${r.villageName}·${v}`) },
    { title: t('mediation.col.level'), dataIndex: 'levelLabel', width: 90 },
    { title: t('mediation.col.state'), dataIndex: 'stateLabel', width: 160, render: (v: string, r) => <Space size={4}>{v}{r.overdue && <Tag color="red">{t('mediation.overdue')}</Tag>}</Space> },
    { title: t('mediation.col.mediator'), dataIndex: 'mediatorName', width: 80, render: (v: string | null) => v ?? '—' },
    { title: t('mediation.col.deadline'), dataIndex: 'deadlineAt', width: 110, render: day },
  ];

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      let id: number;
      if (creating === 'fromCase') {
        id = (await api.post<{ dispute: DisputeDetail }>('/disputes/from-case', { caseId: v.caseId, respondentName: v.respondentName || undefined }, { idempotencyKey: idempotencyKey() })).dispute.id;
      } else {
        const parties = [{ side: 'applicant', name: v.applicant, phone: v.applicantPhone || undefined }, { side: 'respondent', name: v.respondent, phone: v.respondentPhone || undefined },
          ...((v.thirds ?? []) as { name: string }[]).filter((x) => x?.name).map((x) => ({ side: 'third', name: x.name }))];
        id = (await api.post<DisputeDetail>('/disputes', {
          regionId: v.regionId, level: v.level, type: v.type, summary: v.summary, claim: v.claim, amount: v.amount ?? null, source: v.source, parties,
        }, { idempotencyKey: idempotencyKey() })).id;
      }
      message.success(t('mediation.saved'));
      setCreating(null);
      form.resetFields();
      paged.reload();
      nav(`/disputes/${id}`);
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('mediation.menu.disputes')}
      extra={canManage && (
        <Space>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating('register')} data-testid="dispute-register">{t('mediation.register')}</Button>
          <Button onClick={() => setCreating('fromCase')}>{t('mediation.fromCase')}</Button>
        </Space>
      )}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('mediation.col.type')} aria-label={t('mediation.col.type')} style={{ width: 130 }} value={type} onChange={setType} options={TYPES.map((k) => ({ value: k, label: t(`mediation.type.${k}`) }))} />
        <Select allowClear placeholder={t('mediation.col.level')} aria-label={t('mediation.col.level')} style={{ width: 130 }} value={level} onChange={setLevel} options={LEVELS.map((k) => ({ value: k, label: t(`mediation.level.${k}`) }))} />
        <RegionSelect value={regionId} onChange={(id) => setRegionId(id)} maxLevel="village" style={{ width: 200 }} aria-label={t('mediation.col.place')} placeholder={t('mediation.col.place')} />
        <Input.Search allowClear placeholder={t('mediation.search')} aria-label={t('mediation.search')} style={{ width: 200 }} onSearch={setQ} />
        <Space><Switch checked={overdue} onChange={setOverdue} aria-label={t('mediation.onlyOverdue')} />{t('mediation.onlyOverdue')}</Space>
      </Space>
      <Tabs activeKey={list} onChange={(k) => setList(k as (typeof LISTS)[number])} items={LISTS.map((l) => ({ key: l, label: t(`mediation.lists.${l}`) }))} />
      {paged.error ? <ErrorResult error={paged.error} onRetry={paged.reload} /> : (
        <>
          <Table rowKey="id" size="middle" columns={columns} dataSource={paged.items} loading={paged.loading} pagination={false} onRow={(r) => ({ 'data-dispute-id': r.id } as object)} />
          <PagerBar list={paged} />
        </>
      )}
      <DisputeDrawer id={openId} onClose={() => nav('/disputes')} onChanged={paged.reload} />
      <Modal open={!!creating} title={creating === 'fromCase' ? t('mediation.fromCase') : t('mediation.register')} onCancel={() => setCreating(null)} onOk={submit} confirmLoading={busy} destroyOnHidden width={640}>
        <Form form={form} layout="vertical" initialValues={{ level: 'village', source: 'walk_in' }}>
          {creating === 'fromCase' ? (
            <>
              <Form.Item name="caseId" label={t('mediation.caseId')} rules={[{ required: true }]} extra={t('mediation.fromCaseHint')}><InputNumber min={1} style={{ width: 200 }} /></Form.Item>
              <Form.Item name="respondentName" label={t('mediation.respondent')}><Input maxLength={40} /></Form.Item>
            </>
          ) : (
            <>
              <Space wrap>
                <Form.Item name="regionId" label={t('mediation.col.place')} rules={[{ required: true }]}><RegionSelect levels={['village', 'group']} style={{ width: 220 }} /></Form.Item>
                <Form.Item name="type" label={t('mediation.col.type')} rules={[{ required: true }]}><Select style={{ width: 130 }} options={TYPES.map((k) => ({ value: k, label: t(`mediation.type.${k}`) }))} /></Form.Item>
                <Form.Item name="level" label={t('mediation.col.level')}><Select style={{ width: 120 }} options={LEVELS.map((k) => ({ value: k, label: t(`mediation.level.${k}`) }))} /></Form.Item>
                <Form.Item name="source" label={t('mediation.source')}><Select style={{ width: 120 }} options={['walk_in', 'hotline', 'visit'].map((k) => ({ value: k, label: t(`mediation.sources.${k}`) }))} /></Form.Item>
              </Space>
              <Form.Item name="summary" label={t('mediation.col.summary')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
              <Form.Item name="claim" label={t('mediation.claim')} rules={[{ required: true }]}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
              <Form.Item name="amount" label={t('mediation.amount')}><InputNumber min={0} style={{ width: 200 }} /></Form.Item>
              <Space wrap>
                <Form.Item name="applicant" label={t('mediation.applicant')} rules={[{ required: true }]}><Input maxLength={40} /></Form.Item>
                <Form.Item name="applicantPhone" label={t('mediation.phoneNo')}><Input maxLength={20} /></Form.Item>
              </Space>
              <Space wrap>
                <Form.Item name="respondent" label={t('mediation.respondent')} rules={[{ required: true }]}><Input maxLength={40} /></Form.Item>
                <Form.Item name="respondentPhone" label={t('mediation.phoneNo')}><Input maxLength={20} /></Form.Item>
              </Space>
              <Form.List name="thirds">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f) => (
                      <Space key={f.key} align="baseline">
                        <Form.Item name={[f.name, 'name']} label={t('mediation.third')}><Input maxLength={40} /></Form.Item>
                        <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('mediation.remove')} />
                      </Space>
                    ))}
                    <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>{t('mediation.addThird')}</Button>
                  </>
                )}
              </Form.List>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
