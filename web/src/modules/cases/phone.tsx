import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { FlagIcon, NoteIcon } from '../../phone/icons';

const ReportPage = lazy(() => import('./phone/ReportPage'));
const MyCases = lazy(() => import('./phone/MyCases'));
const CaseDetail = lazy(() => import('./phone/CaseDetail'));

export const casesPhone: PhoneModule = {
  key: 'cases',
  tiles: [
    { labelKey: 'cases.phone.report', path: 'cases/new', icon: <FlagIcon />, permission: 'cases.report' },
    { labelKey: 'cases.phone.mine', path: 'cases/mine', icon: <NoteIcon />, permission: 'cases.report' },
  ],
  routes: [
    { path: 'cases/new', element: <ReportPage /> },
    { path: 'cases/mine', element: <MyCases /> },
    { path: 'cases/:id', element: <CaseDetail /> },
  ],
};
