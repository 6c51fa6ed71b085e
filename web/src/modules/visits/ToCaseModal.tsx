/** Console: turn one visit opinion into a case — pick the category (group → category), optional title. */
import { useMemo, useState } from 'react';
import { App, Cascader, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import type { Opinion } from './types';

interface Category { id: number; parentId: number | null; name: string }

export function ToCaseModal({ visitId, opinion, onClose, onDone }: { visitId: number; opinion: Opinion | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const cats = useRemote(opinion ? () => api.get<{ items: Category[] }>('/cases/categories') : null, [!!opinion]);
  const options = useMemo(() => {
    const items = cats.data?.items ?? [];
    return items.filter((c) => c.parentId == null).map((p) => ({
      value: p.id, label: p.name,
      children: items.filter((c) => c.parentId === p.id).map((c) => ({ value: c.id, label: c.name })),
    })).filter((p) => p.children.length > 0);
  }, [cats.data]);
  const [path, setPath] = useState<number[]>([]);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => { setPath([]); setTitle(''); onClose(); };
  const submit = async () => {
    const categoryId = path[path.length - 1];
    if (!opinion || path.length < 2 || !categoryId) { message.warning(t('visits.pickCategory')); return; }
    setBusy(true);
    try {
      const r = await api.post<{ opinion: Opinion; replayed: boolean }>(`/visits/${visitId}/opinions/${opinion.id}/case`, { categoryId, ...(title.trim() ? { title: title.trim() } : {}) });
      message.success(t(r.replayed ? 'visits.alreadyConverted' : 'visits.converted', { code: r.opinion.case?.code }));
      setPath([]); setTitle('');
      onDone();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!opinion} title={t('visits.toCaseTitle')} onCancel={close} onOk={submit} okText={t('visits.toCase')} confirmLoading={busy} destroyOnHidden>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{opinion?.content}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('visits.toCaseHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('visits.category')} required>
          <Cascader options={options} value={path} onChange={(v) => setPath((v ?? []) as number[])} loading={cats.loading} placeholder={t('visits.pickCategory')} aria-label={t('visits.category')} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('visits.caseTitle')}>
          <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={60} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
