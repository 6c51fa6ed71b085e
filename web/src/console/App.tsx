import { Suspense, useEffect, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSession } from '../shared/session';
import { consoleModules } from './modules';
import { ConsoleLayout } from './Layout';
import { LoginPage } from './LoginPage';
import { TotpEnrollPage } from './TotpEnrollPage';
import { NotFoundResult } from './components/NotFoundResult';
import { HomePage } from './HomePage';

const theme = {
  token: {
    // Party-building red as the brand colour; contrast checked against white text (≥ 4.5:1).
    colorPrimary: '#b71c1c',
    // Darker than antd's defaults so links and secondary text reach WCAG AA (4.5:1) on white.
    colorLink: '#0a58ca',
    // antd derives a lighter hover shade, which fell under 4.5:1 on a hovered table row; go darker.
    colorLinkHover: '#084298',
    colorLinkActive: '#06357a',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextQuaternary: 'rgba(0, 0, 0, 0.56)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    colorTextDisabled: 'rgba(0, 0, 0, 0.56)',
    colorError: '#c62828',
    colorSuccess: '#2e7d32',
    borderRadius: 4,
    fontFamily: "-apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif",
  },
};

function Loading() {
  return (
    <div className="xz-center">
      <Spin size="large" />
    </div>
  );
}

/** Everything behind login: redirects to /login when there is no session, to TOTP enrolment when due. */
function Protected() {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (me.mustEnrollTotp) return <Navigate to="/enroll-totp" replace />;
  return (
    <ConsoleLayout>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route index element={<HomePage />} />
          {consoleModules.flatMap((m) =>
            m.routes.map((r) => <Route key={`${m.key}:${r.path}`} path={r.path.replace(/^\//, '')} element={r.element} />),
          )}
          <Route path="*" element={<NotFoundResult />} />
        </Routes>
      </Suspense>
    </ConsoleLayout>
  );
}

export function ConsoleApp() {
  const { i18n } = useTranslation();
  const [lang, setLang] = useState(i18n.language);
  useEffect(() => {
    const on = (l: string) => setLang(l);
    i18n.on('languageChanged', on);
    return () => i18n.off('languageChanged', on);
  }, [i18n]);
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  }, [lang]);

  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/enroll-totp" element={<TotpEnrollPage />} />
              <Route path="/*" element={<Protected />} />
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
