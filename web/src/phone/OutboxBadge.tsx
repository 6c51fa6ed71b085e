/**
 * The outbox in the phone shell (first load, so it must stay tiny): OutboxSync ties the outbox to
 * the signed-in user and starts the resend triggers; OutboxBadge shows "待发送 N" (and "未发出 M"
 * for items the server refused) linking to the 待发送 page.
 */
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../shared/session';
import { setOutboxUser, startOutbox, useOutbox } from './outbox';

/** The 待发送 page, loaded as soon as a user is signed in so it opens without a network too. */
export const loadOutboxPage = () => import('./OutboxPage');

export function OutboxSync() {
  const { me } = useSession();
  useEffect(() => startOutbox(), []);
  useEffect(() => {
    setOutboxUser(me?.username ?? null);
    if (me) void loadOutboxPage().catch(() => undefined);
  }, [me]);
  return null;
}

export function OutboxBadge({ variant = 'bar' }: { variant?: 'bar' | 'hero' }) {
  const { t } = useTranslation();
  const { pending, rejected } = useOutbox();
  if (!pending && !rejected) return null;
  return (
    <Link to="/outbox" className={`m-outbox-badge m-outbox-${variant}`} data-testid="outbox-badge">
      {pending > 0 && <span>{t('outbox.badge', { count: pending })}</span>}
      {rejected > 0 && <span className="m-outbox-rejected">{t('outbox.rejectedBadge', { count: rejected })}</span>}
    </Link>
  );
}
