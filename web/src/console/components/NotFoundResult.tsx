import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';

/** What a missing or out-of-scope record shows — the server answers both with 404, so do we. */
export function NotFoundResult({ title }: { title?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result status="404" title={title ?? t('common.notFound')} subTitle={t('common.notFoundHint')}
      extra={<Button type="primary" onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/'))}>{t('common.back')}</Button>} />
  );
}
