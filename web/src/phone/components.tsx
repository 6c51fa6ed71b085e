/** Small building blocks for phone pages (antd-mobile only). Other modules' phone pages may use them. */
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, ErrorBlock } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api';
import { OutboxBadge } from './OutboxBadge';

/** Page frame: a top bar with back arrow and title, then the content. The right of the bar shows the
 *  outbox badge (待发送 N) unless the page puts something else there. */
export function PhonePage({ title, children, back = true, right }: { title: ReactNode; children: ReactNode; back?: boolean; right?: ReactNode }) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  return (
    <div className="m-page">
      {/* Own bar rather than antd-mobile's NavBar: its back control hides its text from screen readers. */}
      <header className="m-navbar">
        <div className="m-navbar-side">
          {back && (
            <button type="button" className="m-back" onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/'))}>
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>
              {t('common.back')}
            </button>
          )}
        </div>
        <h1 className="m-title">{title}</h1>
        <div className="m-navbar-side m-navbar-right">{right ?? <OutboxBadge />}</div>
      </header>
      <main className="m-body">{children}</main>
    </div>
  );
}

export function PhoneNotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <PhonePage title={t('common.notFound')}>
      <ErrorBlock status="empty" title={t('common.notFound')} description={t('common.notFoundHint')}>
        <Button color="primary" onClick={() => navigate('/')}>{t('common.home')}</Button>
      </ErrorBlock>
    </PhonePage>
  );
}

/** API failure on a phone page: 404 → not found, else the server's Chinese message. */
export function PhoneError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (error.isNotFound) {
    return (
      <ErrorBlock status="empty" title={t('common.notFound')} description={t('common.notFoundHint')} />
    );
  }
  return (
    <ErrorBlock status="default" title={error.message} description={error.code}>
      {onRetry && <Button onClick={onRetry}>{t('common.retry')}</Button>}
    </ErrorBlock>
  );
}
