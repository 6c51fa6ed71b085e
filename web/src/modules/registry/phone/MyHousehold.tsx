/**
 * 我的家庭 (villager): own household, members masked, the linked party member with a call button.
 * The member's number is masked like every other; tapping 拨打 asks the server for it (which the
 * audit log records) and hands it to the dialer, and the number stays shown as a tel: link.
 */
import { useState } from 'react';
import { Card, List, Skeleton, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import type { HouseholdRow, Resident } from '../../../shared/types';
import { PhoneError, PhonePage } from '../../../phone/components';
import { PhoneIcon } from '../../../phone/icons';
import { ResidentItem } from './shared';

interface MyHouseholdData extends HouseholdRow {
  residents: Resident[];
  linkedMember: { id: number; name: string; phoneMasked: string | null; hasPhone: boolean } | null;
}

export default function MyHousehold() {
  const { t } = useTranslation();
  const h = useRemote(() => api.get<MyHouseholdData>('/me/household'), []);
  const [phone, setPhone] = useState<string | null>(null);
  const call = async () => {
    try {
      const r = await api.post<{ phone: string }>('/me/household/linked-member/phone', {});
      setPhone(r.phone);
      window.location.href = `tel:${r.phone}`;
    } catch (e) {
      Toast.show({ icon: 'fail', content: e instanceof ApiError ? e.message : String(e) });
    }
  };
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
                  description={phone ? <a href={`tel:${phone}`}>{phone}</a> : (h.data.linkedMember.phoneMasked ?? undefined)}
                  extra={h.data.linkedMember.hasPhone ? (
                    <button type="button" className="m-call-btn" onClick={() => void call()} aria-label={`${t('registry.phone.call')} ${h.data.linkedMember.name}`}>
                      <PhoneIcon /> {t('registry.phone.call')}
                    </button>
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
