/** Two-step verification enrolment (required for county administrators): QR code of the otpauth URI, then a code to confirm. */
import { useEffect, useState } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, QRCode, Spin, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useSession } from '../shared/session';

export function TotpEnrollPage() {
  const { t } = useTranslation();
  const { me, loading, reload, logout } = useSession();
  const navigate = useNavigate();
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!me) return;
    api.post<{ secret: string; uri: string }>('/auth/totp/setup').then(setSetup, (e: ApiError) => setError(e.message));
  }, [me]);

  if (loading) return <div className="xz-center"><Spin /></div>;
  if (!me) return <Navigate to="/login" replace />;

  const enable = async ({ code }: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/totp/enable', { code: code.trim() });
      await reload();
      navigate('/', { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="xz-login-bg">
      <main style={{ width: 520, maxWidth: '100%' }}>
        <Card title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('totp.title')}</Typography.Title>}>
          <Steps size="small" current={setup ? 1 : 0} style={{ marginBottom: 16 }}
            items={[{ title: t('totp.step1') }, { title: t('totp.step2') }]} />
          <Typography.Paragraph>{t('totp.intro')}</Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          {!setup ? <Spin /> : (
            <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
              <QRCode value={setup.uri} size={180} aria-label={t('totp.qrLabel')} />
              <div style={{ flex: 1, minWidth: 220 }}>
                <Typography.Paragraph>{t('totp.manual')}</Typography.Paragraph>
                <Typography.Paragraph copyable code style={{ wordBreak: 'break-all' }}>{setup.secret}</Typography.Paragraph>
                <Form layout="vertical" onFinish={enable} disabled={busy} requiredMark={false}>
                  <Form.Item name="code" label={t('totp.code')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpRequired') }]}>
                    <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy}>{t('totp.enable')}</Button>
                  <Button type="link" onClick={async () => { await logout(); navigate('/login'); }}>{t('common.logout')}</Button>
                </Form>
              </div>
            </div>
          )}
        </Card>
      </main>
    </div>
  );
}
