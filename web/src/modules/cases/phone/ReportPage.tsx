/** 我要反映 (phone): category, description, photo, optional location. A retry never files twice:
 *  the draft keeps one client id and one Idempotency-Key until it is accepted. Without a network
 *  the report goes to the phone's outbox (待发送) with the same id and key and is sent later. */
import { useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Form, ImageUploader, type ImageUploadItem, Selector, Skeleton, Switch, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError, type Page } from '../../../api';
import { useSession, userKindOf } from '../../../shared/session';
import type { Grid } from '../../../shared/types';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { submitOrQueue } from '../../../phone/outbox';
import { confirmWithoutPhotos } from '../../../phone/outboxConfirm';
import type { Category } from '../types';

interface Created { id: number; code: string; replayed: boolean; possibleDuplicates: { id: number }[] }

export default function ReportPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const cats = useRemote(() => api.get<{ items: Category[] }>('/cases/categories'), []);
  // A villager's report belongs to the own household; staff (grid workers) name one of their grids.
  const staff = userKindOf(useSession().me) === 'staff';
  const grids = useRemote(staff ? () => api.get<Page<Grid>>('/me/grids', { limit: 20 }) : null, [staff]);
  const [pickedGrid, setPickedGrid] = useState<number | null>(null);
  const gridId = pickedGrid ?? grids.data?.items[0]?.id ?? null;
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<ImageUploadItem[]>([]);
  const [useLoc, setUseLoc] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failedPhotos, setFailedPhotos] = useState(0);
  const draft = useRef({ clientId: idempotencyKey(), key: idempotencyKey() });

  // Two rows of big chips (group, then category) rather than a wheel picker: thirty-odd categories
  // read better as text, and older villagers tap more reliably than they scroll a wheel.
  const items = useMemo(() => cats.data?.items ?? [], [cats.data]);
  const parents = useMemo(() => items.filter((c) => c.parentId == null), [items]);
  const [parentId, setParentId] = useState<number | null>(null);
  const children = useMemo(() => items.filter((c) => c.parentId === parentId), [items, parentId]);

  const upload = async (file: File): Promise<ImageUploadItem> => {
    const fd = new FormData();
    fd.append('file', file);
    const r = await api.post<{ id: number }>('/cases/photos', fd);
    return { key: r.id, url: URL.createObjectURL(file) };
  };

  const position = () => new Promise<{ lat: number; lng: number } | null>((resolve) => {
    if (!useLoc || !navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition((p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }), () => resolve(null), { timeout: 8000 });
  });

  const submit = async () => {
    if (!categoryId || description.trim().length < 2) {
      Toast.show({ content: !categoryId ? t('cases.phone.pickCategory') : t('cases.phone.descriptionHint') });
      return;
    }
    if (!(await confirmWithoutPhotos(t, failedPhotos))) return;
    setBusy(true);
    try {
      const loc = await position();
      const sent = await submitOrQueue<Created>(t('outbox.label.case', { text: description.trim().slice(0, 24) }), '/cases', {
        categoryId, description: description.trim(), clientId: draft.current.clientId,
        photoIds: files.map((f) => Number(f.key)).filter(Boolean), ...(loc ?? {}), ...(staff && gridId ? { gridId } : {}),
      }, draft.current.key);
      if (!sent.sent) {
        Toast.show({ icon: 'success', content: t('outbox.queued') });
        draft.current = { clientId: idempotencyKey(), key: idempotencyKey() };
        nav('/', { replace: true });
        return;
      }
      const r = sent.data;
      Toast.show({ icon: 'success', content: t('cases.phone.submitted', { code: r.code }) });
      if (r.possibleDuplicates.length) Toast.show({ content: t('cases.phone.duplicateHint') });
      draft.current = { clientId: idempotencyKey(), key: idempotencyKey() };
      nav(`/cases/${r.id}`, { replace: true });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PhonePage title={t('cases.phone.report')}>
      {cats.error ? <PhoneError error={cats.error} onRetry={cats.reload} /> : (
        <Form layout="vertical" footer={<Button block color="primary" size="large" loading={busy} onClick={submit} data-testid="case-submit">{t('cases.phone.submit')}</Button>}>
          {staff && !!grids.data?.items.length && (
            <Form.Item label={t('common.level.grid')}>
              <Selector columns={2} data-testid="case-grid" options={grids.data.items.map((g) => ({ label: g.name, value: g.id }))}
                value={gridId ? [gridId] : []} onChange={(v) => v[0] && setPickedGrid(v[0])} />
            </Form.Item>
          )}
          <Form.Item label={t('cases.phone.categoryGroup')}>
            {!cats.data ? <Skeleton.Paragraph lineCount={2} animated /> : (
              <Selector
                columns={3} data-testid="case-category-group"
                options={parents.map((p) => ({ label: p.name, value: p.id }))}
                value={parentId ? [parentId] : []}
                onChange={(v) => { setParentId(v[0] ?? null); setCategoryId(null); }}
              />
            )}
          </Form.Item>
          {parentId != null && (
            <Form.Item label={t('cases.phone.category')}>
              <Selector columns={2} data-testid="case-category" options={children.map((c) => ({ label: c.name, value: c.id }))} value={categoryId ? [categoryId] : []} onChange={(v) => setCategoryId(v[0] ?? null)} />
            </Form.Item>
          )}
          <Form.Item label={t('cases.phone.description')}>
            <TextArea placeholder={t('cases.phone.descriptionHint')} value={description} onChange={setDescription} rows={4} maxLength={2000} showCount data-testid="case-description" />
          </Form.Item>
          <Form.Item label={t('cases.phone.photo')}>
            <ImageUploader value={files} onChange={setFiles} upload={upload} onUploadQueueChange={(q) => setFailedPhotos(q.filter((x) => x.status === 'fail').length)} maxCount={9} accept="image/jpeg,image/png,image/webp" />
          </Form.Item>
          <Form.Item label={t('cases.phone.useLocation')} childElementPosition="right">
            <Switch checked={useLoc} onChange={setUseLoc} />
          </Form.Item>
        </Form>
      )}
    </PhonePage>
  );
}
