/** 我的调解案件 (phone): the disputes assigned to the mediator, open ones first tab. */
import { useState } from 'react';
import { Tabs } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { PhonePage } from '../../../phone/components';
import { DisputeList } from './MyDisputes';

export default function MediatorCases() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('open');
  return (
    <PhonePage title={t('mediation.phone.cases')}>
      <Tabs activeKey={tab} onChange={setTab}>
        <Tabs.Tab title={t('mediation.lists.open')} key="open" />
        <Tabs.Tab title={t('mediation.phone.toFollowUp')} key="agreed" />
        <Tabs.Tab title={t('mediation.lists.all')} key="all" />
      </Tabs>
      <DisputeList key={tab} path="/disputes" query={{ mine: true, ...(tab === 'all' ? {} : { state: tab }) }} to={(id) => `/mediation/cases/${id}`} />
    </PhonePage>
  );
}
