/** Console login: username + password; the TOTP field appears when the server asks for it (TOTP_CODE_REQUIRED). */
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useSession } from '../shared/session';
import { LANGS, setLanguage, type Lang } from '../i18n';

interface LoginForm {
  username: string;
  password: string;
  totp?: string;
}

/** Only same-site paths are followed after login (no open redirect through ?next=). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function lockMessage(e: ApiError, t: (k: string, o?: Record<string, unknown>) => string): string {
  const until = (e.details as { until?: string } | null)?.until;
  if (!until) return e.message;
  return `${e.message}${t('login.lockedUntil', { time: new Date(until).toLocaleTimeString() })}`;
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { me, reload } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<LoginForm>();
  const next = safeNext(params.get('next'));

  if (me && !me.mustEnrollTotp) return <Navigate to={next} replace />;

  const submit = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ ok: boolean; mustEnrollTotp: boolean }>('/auth/login', {
        username: v.username.trim(),
        password: v.password,
        ...(needTotp && v.totp ? { totp: v.totp.trim() } : {}),
      });
      await reload();
      navigate(r.mustEnrollTotp ? '/enroll-totp' : next, { replace: true });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.code === 'TOTP_CODE_REQUIRED') {
        setNeedTotp(true);
        setError(null);
      } else if (e.code === 'ACCOUNT_LOCKED') setError(lockMessage(e, t));
      else if (e.code === 'LOGIN_FAILED' && typeof (e.details as { remaining?: number } | null)?.remaining === 'number') {
        setError(`${e.message}${t('login.remaining', { n: (e.details as { remaining: number }).remaining })}`);
      } else setError(e.message);
      if (e.code === 'TOTP_CODE_INVALID') form.setFieldValue('totp', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="xz-login-bg">
      <main className="xz-login-card">
        <Card>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', marginBottom: 8 }}>
            <div>
              <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>{t('common.appName')}</Typography.Title>
              <Typography.Text className="xz-muted">{t('login.subtitle')}</Typography.Text>
            </div>
            <Select<Lang> size="small" aria-label={t('common.language')} value={(i18n.language as Lang) ?? 'zh-CN'} style={{ width: 100 }}
              options={LANGS.map((l) => ({ value: l.key, label: l.label }))} onChange={(v) => void setLanguage(v)} />
          </div>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
          {needTotp && !error && <Alert type="info" showIcon title={t('login.totpHint')} style={{ marginBottom: 16 }} />}
          <Form<LoginForm> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
            </Form.Item>
            {needTotp && (
              <Form.Item name="totp" label={t('login.totp')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpRequired') }]}>
                <Input prefix={<SafetyOutlined />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} size="large" autoFocus />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block size="large" loading={busy}>{t('login.submit')}</Button>
          </Form>
          <Typography.Paragraph className="xz-muted" style={{ marginTop: 16, marginBottom: 0, fontSize: 13 }}>
            {t('login.phoneHint')} <a href="/m/">{t('login.phoneLink')}</a>
          </Typography.Paragraph>
        </Card>
      </main>
    </div>
  );
}
