/** Phone login (villagers and grid workers). Staff accounts that need TOTP enter the code here too. */
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useSession } from '../shared/session';
import { setLanguage } from '../i18n';

function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function PhoneLogin() {
  const { t, i18n } = useTranslation();
  const { me, reload } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (me) return <Navigate to={next} replace />;

  const submit = async (v: { username: string; password: string; totp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/login', { username: v.username.trim(), password: v.password, ...(needTotp && v.totp ? { totp: v.totp.trim() } : {}) });
      await reload();
      navigate(next, { replace: true });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.code === 'TOTP_CODE_REQUIRED') setNeedTotp(true);
      else setError(e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="m-page m-login">
      <div style={{ display: 'flex', justifyContent: 'space-between' }}>
        <div>
          <h1>{t('common.appName')}</h1>
          <p className="m-muted">{t('login.phoneSubtitle')}</p>
        </div>
        <Button size="mini" fill="none" onClick={() => void setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}>
          {i18n.language === 'en' ? '中文' : 'English'}
        </Button>
      </div>
      {error && <div role="alert"><NoticeBar content={error} color="error" wrap /></div>}
      {needTotp && !error && <NoticeBar content={t('login.totpHint')} color="info" wrap />}
      <Form layout="vertical" onFinish={submit} footer={<Button block type="submit" color="primary" size="large" loading={busy}>{t('login.submit')}</Button>}>
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
          <Input autoComplete="username" placeholder={t('login.usernamePlaceholder')} />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input type="password" autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} />
        </Form.Item>
        {needTotp && (
          <Form.Item name="totp" label={t('login.totp')} rules={[{ required: true, message: t('login.totpRequired') }]}>
            <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
          </Form.Item>
        )}
      </Form>
    </main>
  );
}
