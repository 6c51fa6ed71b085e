/** Small helpers shared by the points console pages. */
import { useState } from 'react';
import { App, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';

export const stars = (n: number) => (n > 0 ? '★'.repeat(n) : '—');
export const thisQuarter = () => {
  const d = new Date(Date.now() + 8 * 3600_000);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};
export const thisYear = () => String(new Date(Date.now() + 8 * 3600_000).getUTCFullYear());

/** Runs an API action and reports success or the server's Chinese message. */
export function useAction() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      message.success(ok ?? t('points.done'));
      return true;
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
      return false;
    }
  };
}

/** A modal asking for one line of text (a reason, a note); resolves with it or null. */
export function useTextPrompt() {
  const [state, setState] = useState<{ title: string; resolve: (v: string | null) => void } | null>(null);
  const [value, setValue] = useState('');
  const ask = (title: string) => new Promise<string | null>((resolve) => { setValue(''); setState({ title, resolve }); });
  const close = (v: string | null) => { state?.resolve(v); setState(null); };
  const node = (
    <Modal open={!!state} title={state?.title} onCancel={() => close(null)} onOk={() => close(value.trim() || null)} okButtonProps={{ disabled: !value.trim() }} destroyOnHidden>
      <Input.TextArea rows={3} maxLength={1000} value={value} onChange={(e) => setValue(e.target.value)} aria-label={state?.title} />
    </Modal>
  );
  return { ask, node };
}
