/** 点单 (phone): the villager asks the village party branch for a service. A retry never files
 *  twice: the draft keeps one client id and one Idempotency-Key until the server accepts it. */
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Form, Input, Selector, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../../api';
import { PhonePage } from '../../../phone/components';
import { SERVICE_KINDS } from '../types';

export default function RequestPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [kind, setKind] = useState<string>(SERVICE_KINDS[0]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const draft = useRef({ clientId: idempotencyKey(), key: idempotencyKey() });

  const submit = async () => {
    if (title.trim().length < 2) {
      Toast.show({ content: t('serviceOrders.titleHint') });
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<{ id: number; code: string }>('/service-orders', {
        kind, title: title.trim(), description: description.trim() || undefined, clientId: draft.current.clientId,
      }, { idempotencyKey: draft.current.key });
      Toast.show({ icon: 'success', content: t('serviceOrders.phone.submitted', { code: r.code }) });
      draft.current = { clientId: idempotencyKey(), key: idempotencyKey() };
      nav(`/service-orders/${r.id}`, { replace: true });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PhonePage title={t('serviceOrders.phone.request')}>
      <Form layout="vertical" footer={<Button block color="primary" size="large" loading={busy} onClick={submit} data-testid="order-submit">{t('serviceOrders.phone.submit')}</Button>}>
        <Form.Item label={t('serviceOrders.kind')}>
          <Selector columns={3} options={SERVICE_KINDS.map((k) => ({ label: k, value: k }))} value={[kind]} onChange={(v) => v[0] && setKind(v[0])} data-testid="order-kind" />
        </Form.Item>
        <Form.Item label={t('serviceOrders.title')}>
          <Input placeholder={t('serviceOrders.titleHint')} value={title} onChange={setTitle} maxLength={60} clearable data-testid="order-title" aria-label={t('serviceOrders.title')} />
        </Form.Item>
        <Form.Item label={t('serviceOrders.description')}>
          <TextArea placeholder={t('serviceOrders.descriptionHint')} value={description} onChange={setDescription} rows={4} maxLength={1000} showCount aria-label={t('serviceOrders.description')} />
        </Form.Item>
      </Form>
    </PhonePage>
  );
}
