import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ConfigProvider, DotLoading } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import enUS from 'antd-mobile/es/locales/en-US';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSession } from '../shared/session';
import { phoneModules } from './modules';
import { PhoneLogin } from './Login';
import { PhoneHome } from './Home';
import { PhoneNotFound } from './components';
import { loadOutboxPage, OutboxSync } from './OutboxBadge';

const OutboxPage = lazy(loadOutboxPage);

export function PhoneLoading() {
  return (
    <div className="m-center" role="status" aria-live="polite">
      <DotLoading color="primary" />
    </div>
  );
}

function Protected() {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <PhoneLoading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <Suspense fallback={<PhoneLoading />}>
      <Routes>
        <Route index element={<PhoneHome />} />
        <Route path="outbox" element={<OutboxPage />} />
        {phoneModules.flatMap((m) =>
          m.routes.map((r) => <Route key={`${m.key}:${r.path}`} path={r.path.replace(/^\//, '')} element={r.element} />),
        )}
        <Route path="*" element={<PhoneNotFound />} />
      </Routes>
    </Suspense>
  );
}

export function PhoneApp() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <SessionProvider>
        <OutboxSync />
        <BrowserRouter basename="/m">
          <Routes>
            <Route path="/login" element={<PhoneLogin />} />
            <Route path="/*" element={<Protected />} />
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </ConfigProvider>
  );
}
