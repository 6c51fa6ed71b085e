/**
 * Shows a masked ID number or phone with a 查看 button. Revealing asks for a purpose (2–100 chars),
 * which the server records in the audit log with the reveal; the clear value is shown only until
 * the server's expiresAt, then the masked value comes back.
 */
import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';

export function RevealButton({ residentId, field, masked, allowed }: { residentId: number; field: 'idNumber' | 'phone'; masked: string | null; allowed: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<{ value: string; expiresAt: string } | null>(null);
  const [form] = Form.useForm<{ purpose: string }>();

  useEffect(() => {
    if (!revealed) return;
    const ms = new Date(revealed.expiresAt).getTime() - Date.now();
    const h = setTimeout(() => setRevealed(null), Math.max(0, Math.min(ms, 10 * 60_000)));
    return () => clearTimeout(h);
  }, [revealed]);

  if (!masked) return <Typography.Text type="secondary">—</Typography.Text>;
  if (revealed) {
    return (
      <Space size={4}>
        <Typography.Text copyable strong>{revealed.value}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('registry.reveal.until', { time: new Date(revealed.expiresAt).toLocaleTimeString() })}</Typography.Text>
      </Space>
    );
  }

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<{ value: string; expiresAt: string }>(`/residents/${residentId}/reveal`, { field, purpose: v.purpose.trim() });
      setRevealed(r);
      setOpen(false);
      form.resetFields();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const label = field === 'idNumber' ? t('registry.resident.idNumber') : t('registry.resident.phone');
  return (
    <Space size={4}>
      <Typography.Text className="xz-mono">{masked}</Typography.Text>
      {allowed && (
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)} aria-label={t('registry.reveal.button', { field: label })}>
          {t('common.view')}
        </Button>
      )}
      <Modal open={open} title={t('registry.reveal.title', { field: label })} onCancel={() => setOpen(false)} onOk={submit} confirmLoading={busy} okText={t('registry.reveal.confirm')} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t('registry.reveal.notice')}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="purpose" label={t('registry.reveal.purpose')} rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('registry.reveal.purposeRule') }]}>
            <Input.TextArea rows={2} maxLength={100} showCount placeholder={t('registry.reveal.purposePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
