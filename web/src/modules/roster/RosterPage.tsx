/**
 * 花名册导入: pick a village, download the template, upload a filled sheet (.xlsx/.csv ≤ 20 MB),
 * check it first (dry run: nothing is written), then import. The import runs as a server job; the
 * page polls it for the progress bar and lists bad rows (row, column, reason) as the server reports
 * them. Export downloads the village's households and residents (masked unless revealed with a purpose).
 */
import { useEffect, useRef, useState } from 'react';
import { App, Alert, Button, Card, Checkbox, Col, Form, Input, Modal, Progress, Result, Row, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, ExportOutlined, InboxOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, downloadUrl, type Page } from '../../api';
import { RegionSelect } from '../../console/components/RegionSelect';
import { useSession } from '../../shared/session';
import { useRemote } from '../../shared/useRemote';

interface RowError { row: number; column: string; reason: string }
interface JobSummary {
  id: number; status: 'running' | 'done' | 'failed'; dryRun: boolean; fileName: string; regionId: number; regionName: string;
  userName: string | null; totalRows: number; doneRows: number; created: number; updated: number; errorCount: number;
  createdAt: string; finishedAt: string | null;
}
interface Job extends JobSummary { errors: RowError[] }

const MAX_BYTES = 20 * 1024 * 1024;
const POLL_MS = 1000;

export default function RosterPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const [village, setVillage] = useState<{ id: number; name: string } | null>(null);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const recent = useRemote(() => api.get<Page<JobSummary> | JobSummary[]>('/roster/imports', { regionId: village?.id, limit: 10 }), [village?.id, job?.status]);

  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const poll = (jobId: number) => {
    api.get<Job>(`/roster/import/${jobId}`).then(
      (j) => {
        setJob(j);
        if (j.status === 'running') timer.current = setTimeout(() => poll(jobId), POLL_MS);
        else setBusy(false);
      },
      (e: ApiError) => {
        message.error(e.message);
        setBusy(false);
      },
    );
  };

  const start = async (dryRun: boolean) => {
    const file = files[0]?.originFileObj;
    if (!village || !file) return;
    setBusy(true);
    setJob(null);
    const fd = new FormData();
    fd.append('file', file, file.name);
    try {
      const r = await api.post<{ jobId: number }>('/roster/import', fd, { query: { regionId: village.id, dryRun: dryRun ? 1 : 0 } });
      poll(r.jobId);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };

  const step = !village ? 0 : files.length === 0 ? 1 : !job ? 2 : 3;
  const recentItems = Array.isArray(recent.data) ? recent.data : recent.data?.items ?? [];

  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>{t('roster.title')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card>
            <Steps current={step} size="small" style={{ marginBottom: 24 }}
              items={[{ title: t('roster.step.village') }, { title: t('roster.step.file') }, { title: t('roster.step.check') }, { title: t('roster.step.result') }]} />
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Space wrap>
                <label htmlFor="roster-village">{t('roster.village')}</label>
                <RegionSelect id="roster-village" levels={['village']} maxLevel="village" value={village?.id} allowClear={false}
                  placeholder={t('roster.villagePlaceholder')} style={{ width: 260 }} aria-label={t('roster.village')}
                  onChange={(id, node) => { setVillage(id && node ? { id, name: node.name } : null); setJob(null); }} />
                <Button icon={<DownloadOutlined />} href={downloadUrl('/roster/template.xlsx')}>{t('roster.template')}</Button>
                {village && can('registry.export') && (
                  <Button icon={<ExportOutlined />} onClick={() => setExporting(true)}>{t('roster.export')}</Button>
                )}
              </Space>
              <Upload.Dragger
                accept=".xlsx,.csv"
                multiple={false}
                maxCount={1}
                fileList={files}
                disabled={!village || busy}
                beforeUpload={(f) => {
                  if (f.size > MAX_BYTES) {
                    message.error(t('roster.tooLarge'));
                    return Upload.LIST_IGNORE;
                  }
                  if (!/\.(xlsx|csv)$/i.test(f.name)) {
                    message.error(t('roster.badType'));
                    return Upload.LIST_IGNORE;
                  }
                  return false; // keep it in the browser; we send it ourselves with the village and dry-run flag
                }}
                onChange={({ fileList }) => { setFiles(fileList.slice(-1)); setJob(null); }}
              >
                <p className="ant-upload-drag-icon"><InboxOutlined /></p>
                <p className="ant-upload-text">{village ? t('roster.drop') : t('roster.pickVillageFirst')}</p>
                <p className="ant-upload-hint">{t('roster.dropHint')}</p>
              </Upload.Dragger>
              <Space wrap>
                <Button icon={<SafetyCertificateOutlined />} disabled={!village || files.length === 0 || busy} loading={busy && !!job?.dryRun} onClick={() => start(true)}>
                  {t('roster.dryRun')}
                </Button>
                <Button type="primary" icon={<CloudUploadOutlined />} disabled={!village || files.length === 0 || busy} loading={busy && job?.dryRun === false}
                  onClick={() => Modal.confirm({ title: t('roster.confirmTitle', { village: village?.name }), content: t('roster.confirmBody'), onOk: () => start(false) })}>
                  {t('roster.import')}
                </Button>
              </Space>
              {busy && !job && <Progress percent={0} status="active" aria-label={t('roster.progress')} />}
              {job && <JobResult job={job} />}
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('roster.recent')} size="small">
            <Table<JobSummary> rowKey="id" size="small" pagination={false} dataSource={recentItems} loading={recent.loading}
              locale={{ emptyText: t('roster.noRecent') }}
              onRow={(r) => ({ onClick: () => poll(r.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('roster.when'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString(), width: 150 },
                { title: t('roster.village'), dataIndex: 'regionName' },
                { title: t('roster.kind'), dataIndex: 'dryRun', render: (d: boolean) => (d ? <Tag>{t('roster.dryRunTag')}</Tag> : <Tag color="red">{t('roster.importTag')}</Tag>) },
                { title: t('common.status'), dataIndex: 'status', render: (s: string, r) => <Tag color={s === 'done' ? (r.errorCount ? 'orange' : 'green') : s === 'failed' ? 'red' : 'blue'}>{t(`roster.status.${s}`)}</Tag> },
              ]} />
          </Card>
        </Col>
      </Row>
      {village && <ExportModal open={exporting} village={village} onClose={() => setExporting(false)} />}
    </div>
  );
}

function JobResult({ job }: { job: Job }) {
  const { t } = useTranslation();
  const pct = job.totalRows ? Math.round((job.doneRows / job.totalRows) * 100) : job.status === 'running' ? 0 : 100;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} aria-live="polite">
      <Progress percent={pct} status={job.status === 'failed' ? 'exception' : job.status === 'running' ? 'active' : job.errorCount ? 'normal' : 'success'}
        aria-label={t('roster.progress')} format={() => `${job.doneRows}/${job.totalRows}`} />
      {job.status === 'running' ? (
        <Typography.Text>{t('roster.running', { done: job.doneRows, total: job.totalRows })}</Typography.Text>
      ) : job.status === 'failed' ? (
        <Alert type="error" showIcon title={t('roster.failed')} description={job.errors[0]?.reason} />
      ) : job.errorCount > 0 ? (
        <Alert type="warning" showIcon title={job.dryRun ? t('roster.dryRunErrors', { n: job.errorCount, total: job.totalRows }) : t('roster.importErrors', { n: job.errorCount, created: job.created, updated: job.updated })} />
      ) : (
        <Result status="success" style={{ padding: 16 }}
          title={job.dryRun ? t('roster.dryRunOk', { total: job.totalRows }) : t('roster.importOk', { created: job.created, updated: job.updated })} />
      )}
      {job.errors.length > 0 && (
        <Table<RowError> rowKey={(r) => `${r.row}:${r.column}:${r.reason}`} size="small" dataSource={job.errors}
          pagination={job.errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          caption={<Typography.Text strong>{t('roster.errorsTitle')}</Typography.Text>}
          columns={[
            { title: t('roster.row'), dataIndex: 'row', width: 80, render: (r: number) => (r === 0 ? t('roster.wholeFile') : r) },
            { title: t('roster.column'), dataIndex: 'column', width: 140 },
            { title: t('roster.reason'), dataIndex: 'reason' },
          ]} />
      )}
    </Space>
  );
}

function ExportModal({ open, village, onClose }: { open: boolean; village: { id: number; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [form] = Form.useForm<{ reveal: boolean; purpose?: string }>();
  const reveal = Form.useWatch('reveal', form);
  const go = async () => {
    const v = await form.validateFields();
    const url = downloadUrl('/roster/export.xlsx', { regionId: village.id, ...(v.reveal ? { reveal: 1, purpose: v.purpose?.trim() } : {}) });
    window.location.assign(url);
    onClose();
  };
  return (
    <Modal open={open} title={t('roster.exportTitle', { village: village.name })} onCancel={onClose} onOk={go} okText={t('roster.export')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ reveal: false }}>
        <Typography.Paragraph type="secondary">{t('roster.exportHint')}</Typography.Paragraph>
        {can('pii.reveal') && (
          <Form.Item name="reveal" valuePropName="checked">
            <Checkbox>{t('roster.exportReveal')}</Checkbox>
          </Form.Item>
        )}
        {reveal && (
          <Form.Item name="purpose" label={t('registry.reveal.purpose')} rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('registry.reveal.purposeRule') }]}>
            <Input maxLength={100} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
