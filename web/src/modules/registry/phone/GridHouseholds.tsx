/** Households of one of my grids (phone). */
import { InfiniteScroll, List } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { HouseholdRow } from '../../../shared/types';
import { PhoneError, PhonePage } from '../../../phone/components';
import { useInfinite } from './shared';

export default function GridHouseholds() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { gridId } = useParams();
  const list = useInfinite<HouseholdRow>(`/me/grids/${Number(gridId) || 0}/households`);
  return (
    <PhonePage title={t('registry.phone.gridHouseholds')}>
      {list.error ? <PhoneError error={list.error} /> : (
        <>
          <List mode="card">
            {list.items.map((h) => (
              <List.Item key={h.id} arrowIcon onClick={() => navigate(`/households/${h.id}`)}
                description={`${h.groupName} · ${h.address}`}
                extra={`${h.memberCount}人`}>
                {h.householderName}
                {h.tags.map((x) => <span key={x} className="m-tag" style={{ marginLeft: 6 }}>{x}</span>)}
              </List.Item>
            ))}
          </List>
          <InfiniteScroll loadMore={list.loadMore} hasMore={list.hasMore}>
            {list.hasMore ? undefined : list.items.length ? t('registry.phone.noMore') : t('registry.household.empty')}
          </InfiniteScroll>
        </>
      )}
    </PhonePage>
  );
}
