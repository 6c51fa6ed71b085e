import { Button, Space, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Paged } from './usePaged';

/** Previous/next buttons for a cursor-paged table (cursor lists have no total page count by design). */
export function PagerBar({ list }: { list: Paged<unknown> }) {
  const { t } = useTranslation();
  if (!list.hasPrev && !list.hasNext) return null;
  return (
    <Space style={{ marginTop: 12, display: 'flex', justifyContent: 'flex-end' }}>
      <Button icon={<LeftOutlined />} disabled={!list.hasPrev || list.loading} onClick={list.prev}>{t('common.prevPage')}</Button>
      <Typography.Text aria-live="polite">{list.pageIndex}</Typography.Text>
      <Button disabled={!list.hasNext || list.loading} onClick={list.next}>{t('common.nextPage')}<RightOutlined /></Button>
    </Space>
  );
}
