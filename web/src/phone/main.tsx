/** Phone entry (antd-mobile only — never import antd here; first load ≤ 150 KB gzipped JS). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n';
import { PhoneApp } from './App';
import './phone.css';
import { registerPhoneServiceWorker } from './offline';

registerPhoneServiceWorker();

void initI18n().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <PhoneApp />
    </StrictMode>,
  );
});
