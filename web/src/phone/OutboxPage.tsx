/** 待发送: what this phone keeps for the signed-in user — queued submissions and the ones the server
 *  refused, with the reason; send now, retry one, or delete one. Works without a network. */
import { useSyncExternalStore } from 'react';
import { Button, Card, Dialog } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { PhonePage } from './components';
import { flushOutbox, removeOutboxItem, retryOutboxItem, useOutbox, type OutboxItem } from './outbox';

function subscribeOnline(fn: () => void): () => void {
  window.addEventListener('online', fn);
  window.addEventListener('offline', fn);
  return () => {
    window.removeEventListener('online', fn);
    window.removeEventListener('offline', fn);
  };
}
const onlineNow = () => navigator.onLine;

function when(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

export default function OutboxPage() {
  const { t } = useTranslation();
  const box = useOutbox();
  const online = useSyncExternalStore(subscribeOnline, onlineNow, () => true);

  const remove = async (item: OutboxItem) => {
    if (await Dialog.confirm({ content: t('outbox.deleteConfirm', { label: item.label }), confirmText: t('outbox.delete'), cancelText: t('common.cancel') })) {
      removeOutboxItem(item.key);
    }
  };

  return (
    <PhonePage title={t('outbox.title')} right={<span />}>
      <div className="m-section">
        <p className="m-muted" role="status" data-testid="outbox-network">
          {online ? t('outbox.onlineHint') : t('outbox.offlineHint')}
        </p>
        <Button block color="primary" loading={box.sending} disabled={!online || box.pending === 0} onClick={() => void flushOutbox()} data-testid="outbox-send-now">
          {t('outbox.sendNow', { count: box.pending })}
        </Button>
      </div>
      {box.items.length === 0 ? (
        <p className="m-muted" style={{ textAlign: 'center', marginTop: 32 }} data-testid="outbox-empty">{t('outbox.empty')}</p>
      ) : (
        <ul className="m-outbox-list" aria-label={t('outbox.title')}>
          {box.items.map((x) => (
            <li key={x.key} data-testid="outbox-item">
              <Card className="m-section">
                <div className="m-outbox-head">
                  <strong>{x.label}</strong>
                  <span className={`m-outbox-state m-outbox-state-${x.state}`}>{t(`outbox.state.${x.state}`)}</span>
                </div>
                <div className="m-muted">
                  {t('outbox.createdAt', { time: when(x.createdAt) })}
                  {x.attempts > 0 && ` · ${t('outbox.attempts', { count: x.attempts })}`}
                </div>
                {x.lastError && (
                  <div className={x.state === 'rejected' ? 'm-outbox-error' : 'm-muted'} data-testid="outbox-error">
                    {t('outbox.reason', { message: x.lastError.message })}
                  </div>
                )}
                {x.state === 'rejected' && <div className="m-muted">{t('outbox.rejectedHint')}</div>}
                <div className="m-outbox-actions">
                  <Button size="small" disabled={!online} onClick={() => void retryOutboxItem(x.key)}>{t('outbox.retry')}</Button>
                  <Button size="small" color="danger" fill="outline" onClick={() => void remove(x)}>{t('outbox.delete')}</Button>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </PhonePage>
  );
}
