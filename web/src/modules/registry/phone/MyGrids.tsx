/** 我的网格 (grid worker): the grids I serve; tap one for its households. */
import { InfiniteScroll, List } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Grid } from '../../../shared/types';
import { PhoneError, PhonePage } from '../../../phone/components';
import { useInfinite } from './shared';

export default function MyGrids() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const grids = useInfinite<Grid>('/me/grids');
  return (
    <PhonePage title={t('registry.phone.myGrids')}>
      {grids.error ? <PhoneError error={grids.error} /> : (
        <>
          <List mode="card">
            {grids.items.map((g) => (
              <List.Item key={g.id} onClick={() => navigate(`/my-grids/${g.id}`)} arrowIcon
                description={`${g.regionName} · ${t(`common.gridLevel.${g.level}`)} · ${g.staff.map((s) => s.name).join('、') || t('registry.grid.noStaff')}`}
                extra={`${g.householdCount} ${t('registry.phone.households')}`}>
                {g.name}
              </List.Item>
            ))}
          </List>
          {!grids.hasMore && grids.items.length === 0 && <p className="m-section m-muted">{t('registry.phone.noGrids')}</p>}
          <InfiniteScroll loadMore={grids.loadMore} hasMore={grids.hasMore}>
            {grids.hasMore ? undefined : grids.items.length ? t('registry.phone.noMore') : ''}
          </InfiniteScroll>
        </>
      )}
    </PhonePage>
  );
}
