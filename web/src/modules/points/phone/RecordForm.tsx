/**
 * The one form behind 记分 (grid worker, for a household) and 申报 (villager, own household):
 * pick an item of the village's current rules, a score when the item has a range, the date, a
 * note and optionally one photo (一事一记, with a photo of the event). The photo is uploaded as soon
 * as it is picked and named on the claim by its id. Sent with an Idempotency-Key so a retry after a
 * lost connection never records twice. Without a network the record goes to the phone's outbox
 * (待发送) with the same key and is sent later (onQueued); a photo that could not be uploaded is
 * left out only if the user agrees.
 */
import { Button, Form, ImageUploader, type ImageUploadItem, Input, Picker, Stepper, TextArea, Toast } from 'antd-mobile';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError } from '../../../phone/components';
import { submitOrQueue } from '../../../phone/outbox';
import { confirmWithoutPhotos } from '../../../phone/outboxConfirm';
import type { RuleBook, RuleItem } from './types';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function RecordForm({ villageId, submitPath, extra, label, onDone, onQueued = onDone }: { villageId: number; submitPath: string; extra: Record<string, unknown>; label: (item: string) => string; onDone: () => void; onQueued?: () => void }) {
  const { t } = useTranslation();
  const book = useRemote(() => api.get<RuleBook>(`/points/villages/${villageId}/current-rules`), [villageId]);
  const [itemId, setItemId] = useState<number | null>(null);
  const [score, setScore] = useState<number>(0);
  const [note, setNote] = useState('');
  const [date, setDate] = useState(today());
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [uploading, setUploading] = useState(false);
  const [failedPhotos, setFailedPhotos] = useState(0);
  const key = useRef(idempotencyKey());
  const items = useMemo(() => (book.data ? [...book.data.categories.flatMap((c) => c.items.map((i) => ({ ...i, cat: c.name }))), ...book.data.negative.map((i) => ({ ...i, cat: t('points.negative') }))] : []), [book.data, t]);
  const item: (RuleItem & { cat: string }) | undefined = items.find((i) => i.id === itemId);

  if (book.error) return <PhoneError error={book.error} onRetry={book.reload} />;
  // The server checks type and size (and strips the EXIF position); its Chinese message is shown.
  const upload = async (file: File): Promise<ImageUploadItem> => {
    setUploading(true);
    try {
      const fd = new FormData();
      fd.append('file', file);
      const r = await api.post<{ id: number; thumbUrl: string }>('/points/photos', fd);
      return { key: r.id, url: URL.createObjectURL(file), thumbnailUrl: r.thumbUrl };
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
      throw e;
    } finally {
      setUploading(false);
    }
  };
  const submit = async () => {
    if (!item) return void Toast.show({ content: t('points.phone.pickItem') });
    if (uploading) return void Toast.show({ content: t('points.phone.photoUploading') });
    const photoId = Number(photos[0]?.key) || undefined;
    if (!(await confirmWithoutPhotos(t, failedPhotos))) return;
    setBusy(true);
    try {
      const sent = await submitOrQueue(label(item.name), submitPath, { ...extra, itemId: item.id, ...(item.min !== item.max ? { score } : {}), occurredOn: date, ...(note ? { note } : {}), ...(photoId ? { photoId } : {}) }, key.current);
      key.current = idempotencyKey();
      setPhotos([]);
      Toast.show({ icon: 'success', content: t(sent.sent ? 'points.phone.recorded' : 'outbox.queued') });
      (sent.sent ? onDone : onQueued)();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form layout="vertical" footer={<Button block color="primary" loading={busy} onClick={submit} data-testid="record-submit">{t('points.phone.submit')}</Button>}>
      <Form.Item label={t('points.item')} onClick={() => setOpen(true)} data-testid="item-picker">
        <div>{item ? `${item.cat} · ${item.name}（${item.min === item.max ? item.min : `${item.min}~${item.max}`}${t('points.unit')}）` : t('points.phone.pickItem')}</div>
      </Form.Item>
      <Picker columns={[items.map((i) => ({ label: `${i.cat} · ${i.name}`, value: String(i.id) }))]} visible={open} onClose={() => setOpen(false)}
        onConfirm={(v) => {
          const id = Number(v[0]);
          setItemId(id);
          const it = items.find((i) => i.id === id);
          if (it) setScore(it.min);
        }} />
      {item && item.min !== item.max && (
        <Form.Item label={t('points.score')}>
          <Stepper min={item.min} max={item.max} step={0.1} digits={1} value={score} onChange={(v) => setScore(Number(v))} />
        </Form.Item>
      )}
      <Form.Item label={t('points.occurredOn')}>
        <Input type="date" value={date} onChange={setDate} aria-label={t('points.occurredOn')} />
      </Form.Item>
      <Form.Item label={t('points.note')}>
        <TextArea rows={2} maxLength={500} value={note} onChange={setNote} placeholder={t('points.phone.notePlaceholder')} />
      </Form.Item>
      <Form.Item label={t('points.phone.photo')} data-testid="record-photo">
        <ImageUploader value={photos} onChange={setPhotos} upload={upload} onUploadQueueChange={(q) => setFailedPhotos(q.filter((x) => x.status === 'fail').length)} maxCount={1} accept="image/jpeg,image/png,image/webp" />
      </Form.Item>
    </Form>
  );
}
