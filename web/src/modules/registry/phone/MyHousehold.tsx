/** 我的家庭 (villager): own household, members masked, the linked party member with a call button. */
import { Card, List, Skeleton } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import type { HouseholdRow, Resident } from '../../../shared/types';
import { PhoneError, PhonePage } from '../../../phone/components';
import { PhoneIcon } from '../../../phone/icons';
import { ResidentItem } from './shared';

interface MyHouseholdData extends HouseholdRow {
  residents: Resident[];
  linkedMember: { id: number; name: string; phone?: string | null; phoneMasked?: string | null } | null;
}

export default function MyHousehold() {
  const { t } = useTranslation();
  const h = useRemote(() => api.get<MyHouseholdData>('/me/household'), []);
  return (
    <PhonePage title={t('registry.phone.myHousehold')}>
      {h.error ? (h.error.isNotFound ? <p className="m-section m-muted">{t('registry.phone.noHousehold')}</p> : <PhoneError error={h.error} onRetry={h.reload} />)
        : !h.data ? <div className="m-section"><Skeleton.Title animated /><Skeleton.Paragraph lineCount={5} animated /></div>
        : (
          <>
            <Card className="m-section" title={`${h.data.householderName}户`}>
              <div className="m-muted">{t('registry.phone.householdCode')}：{h.data.code}</div>
              <div>{h.data.villageName} {h.data.groupName} · {h.data.address}</div>
              {h.data.gridName && <div className="m-muted">{t('registry.household.grid')}：{h.data.gridName}</div>}
              {h.data.tags.length > 0 && <div style={{ marginTop: 6 }}>{h.data.tags.map((x) => <span key={x} className="m-tag">{x}</span>)}</div>}
            </Card>
            <List header={t('registry.phone.linkedMember')} mode="card">
              {h.data.linkedMember ? (
                <List.Item
                  description={h.data.linkedMember.phoneMasked ?? undefined}
                  extra={h.data.linkedMember.phone ? (
                    <a className="m-call-btn" href={`tel:${h.data.linkedMember.phone}`} aria-label={`${t('registry.phone.call')} ${h.data.linkedMember.name}`}>
                      <PhoneIcon /> {t('registry.phone.call')}
                    </a>
                  ) : undefined}
                >
                  {h.data.linkedMember.name}
                </List.Item>
              ) : <List.Item>{t('registry.phone.noLinkedMember')}</List.Item>}
            </List>
            <List header={`${t('registry.phone.members')}（${h.data.residents.length}）`} mode="card">
              {h.data.residents.map((r) => <ResidentItem key={r.id} r={r} />)}
            </List>
          </>
        )}
    </PhonePage>
  );
}
