/** Phone login (villagers and grid workers). Staff accounts that need TOTP enter the code here too. */
import { forgetCachedAnswers } from '../shared/cachedAnswers';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Input, NoticeBar } from 'antd-mobile';
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
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const next = safeNext(params.get('next'));

  if (me) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password || (needTotp && !/^\d{6}$/.test(totp.trim()))) {
      setError(!username.trim() ? t('login.usernameRequired') : !password ? t('login.passwordRequired') : t('login.totpRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await forgetCachedAnswers(); // another user may have used this phone
      await api.post('/auth/login', { username: username.trim(), password, ...(needTotp ? { totp: totp.trim() } : {}) });
      await reload();
      navigate(next, { replace: true });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.code === 'TOTP_CODE_REQUIRED') setNeedTotp(true);
      else setError(err.message);
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
      {/* A plain form, not antd-mobile's Form: keeps its validator libraries out of the phone's first load. */}
      <form className="m-form" onSubmit={submit} noValidate>
        <label className="m-field" htmlFor="m-username">
          <span>{t('login.username')}</span>
          <Input id="m-username" value={username} onChange={setUsername} autoComplete="username" placeholder={t('login.usernamePlaceholder')} />
        </label>
        <label className="m-field" htmlFor="m-password">
          <span>{t('login.password')}</span>
          <Input id="m-password" type="password" value={password} onChange={setPassword} autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} />
        </label>
        {needTotp && (
          <label className="m-field" htmlFor="m-totp">
            <span>{t('login.totp')}</span>
            <Input id="m-totp" value={totp} onChange={setTotp} inputMode="numeric" maxLength={6} autoComplete="one-time-code" autoFocus />
          </label>
        )}
        <Button block type="submit" color="primary" size="large" loading={busy} style={{ marginTop: 16 }}>{t('login.submit')}</Button>
      </form>
    </main>
  );
}
