import { Alert, Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { NotFoundResult } from './NotFoundResult';

/** Shows an API failure: 404 → the not-found page, otherwise the server's Chinese message. */
export function ErrorResult({ error, onRetry, inline }: { error: ApiError; onRetry?: () => void; inline?: boolean }) {
  const { t } = useTranslation();
  if (error.isNotFound) return <NotFoundResult />;
  if (inline) {
    return <Alert type="error" showIcon title={error.message} action={onRetry ? <Button size="small" onClick={onRetry}>{t('common.retry')}</Button> : undefined} />;
  }
  return (
    <Result status={error.status === 403 ? '403' : 'error'} title={error.message} subTitle={error.code}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined} />
  );
}
