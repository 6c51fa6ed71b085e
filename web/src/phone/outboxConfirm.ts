/** Asks before a submission goes without the photos that could not be uploaded (no network).
 *  Photos are uploaded when picked and are never kept in the outbox: a record queued offline is
 *  sent with the photos already uploaded, and without the failed ones only if the user says so. */
import { Dialog } from 'antd-mobile';
import type { TFunction } from 'i18next';

export function confirmWithoutPhotos(t: TFunction, failed: number): Promise<boolean> {
  if (failed <= 0) return Promise.resolve(true);
  return Dialog.confirm({
    title: t('outbox.photoConfirmTitle'),
    content: t('outbox.photoConfirm', { count: failed }),
    confirmText: t('outbox.withoutPhotos'),
    cancelText: t('common.cancel'),
  });
}
