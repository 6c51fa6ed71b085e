/** 群众申报 (villager): declare a good deed of the own household for the evaluation group's review. */
import { Skeleton } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { RecordForm } from './RecordForm';
import type { MyPoints } from './types';

export default function Declare() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const my = useRemote(() => api.get<MyPoints>('/points/my'), []);
  return (
    <PhonePage title={t('points.phone.declare')}>
      {my.error ? <PhoneError error={my.error} /> : !my.data ? <Skeleton.Paragraph animated /> : (
        <RecordForm villageId={my.data.villageId} submitPath="/points/my/declarations" extra={{}}
          label={(item) => t('outbox.label.declare', { item })} onDone={() => navigate('/points')} onQueued={() => navigate('/', { replace: true })} />
      )}
    </PhonePage>
  );
}
