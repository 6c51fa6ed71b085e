/** Create/edit forms for households and residents. Edits send the version they started from: a stale one gets 409 and a reload. */
import { useEffect, useMemo, useState } from 'react';
import { App, Form, Input, Modal, Select, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, idempotencyKey } from '../../api';
import type { HouseholdDetail, ResidentDetail } from '../../shared/types';
import { RegionSelect } from '../../console/components/RegionSelect';
import { GridSelect } from '../../console/components/GridSelect';
import { useRemote } from '../../shared/useRemote';

const PHONE = /^1[3-9]\d{9}$/;

function useErrorToast() {
  const { message } = App.useApp();
  return (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
}

/** Tags typed freely (Enter or comma), kept short like the server requires. */
function TagsInput({ value, onChange, id }: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const { t } = useTranslation();
  return (
    <Select id={id} mode="tags" value={value} onChange={onChange} tokenSeparators={[',', '，', ' ']} maxCount={20} open={false}
      placeholder={t('registry.household.tagsPlaceholder')} aria-label={t('registry.household.tags')} />
  );
}

export function HouseholdCreateModal({ open, defaultRegionId, onClose, onCreated }: { open: boolean; defaultRegionId?: number; onClose: () => void; onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const fail = useErrorToast();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (open ? idempotencyKey() : ''), [open]);
  const regionId = Form.useWatch('regionId', form) as number | undefined;

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<HouseholdDetail>('/households', {
        regionId: v.regionId, gridId: v.gridId ?? null, address: v.address.trim(), householderName: v.householderName.trim(),
        phone: v.phone?.trim() || null, tags: v.tags ?? [],
      }, { idempotencyKey: key });
      form.resetFields();
      onCreated(r.id);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t('registry.household.create')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden width={560}>
      <Form form={form} layout="vertical" initialValues={{ regionId: defaultRegionId }}>
        <Form.Item name="regionId" label={t('registry.household.group')} rules={[{ required: true, message: t('registry.household.groupRequired') }]}
          extra={t('registry.household.groupHint')}>
          <RegionSelect levels={['group']} placeholder={t('registry.household.groupRequired')} />
        </Form.Item>
        <Form.Item name="gridId" label={t('registry.household.grid')}>
          <GridSelect regionId={regionId} />
        </Form.Item>
        <Form.Item name="householderName" label={t('registry.household.householder')} rules={[{ required: true, whitespace: true, max: 30 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="address" label={t('registry.household.address')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('registry.household.phone')} rules={[{ pattern: PHONE, message: t('registry.invalidPhone') }]}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item name="tags" label={t('registry.household.tags')}>
          <TagsInput />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function HouseholdEditModal({ open, household, onClose, onSaved, onConflict }: { open: boolean; household: HouseholdDetail; onClose: () => void; onSaved: () => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ address: household.address, gridId: household.gridId, phone: '', tags: household.tags, status: household.status });
  }, [open, household, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const body: Record<string, unknown> = { version: household.version };
    if (v.address.trim() !== household.address) body.address = v.address.trim();
    if ((v.gridId ?? null) !== household.gridId) body.gridId = v.gridId ?? null;
    if (v.phone?.trim()) body.phone = v.phone.trim();
    if (JSON.stringify(v.tags ?? []) !== JSON.stringify(household.tags)) body.tags = v.tags ?? [];
    if (v.status !== household.status) body.status = v.status;
    setBusy(true);
    try {
      await api.patch(`/households/${household.id}`, body);
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'CONFLICT') {
        modal.warning({ title: e.message, content: t('registry.conflictHint') });
        onClose();
        onConflict();
      } else message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t('registry.household.editTitle', { code: household.code })} onCancel={onClose} onOk={submit} confirmLoading={busy} width={560} forceRender>
      <Form form={form} layout="vertical">
        <Form.Item name="address" label={t('registry.household.address')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="gridId" label={t('registry.household.grid')}>
          <GridSelect regionId={household.regionId} />
        </Form.Item>
        <Form.Item name="phone" label={t('registry.household.newPhone')} extra={t('registry.household.phoneKeep', { masked: household.phoneMasked ?? '—' })}
          rules={[{ pattern: PHONE, message: t('registry.invalidPhone') }]}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item name="tags" label={t('registry.household.tags')}>
          <TagsInput />
        </Form.Item>
        <Form.Item name="status" label={t('common.status')}>
          <Select options={(['active', 'moved', 'merged'] as const).map((s) => ({ value: s, label: t(`registry.household.status.${s}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResidentFields({ requireId }: { requireId: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('registry.resident.name')} rules={[{ required: true, whitespace: true, max: 30 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="idNumber" label={t('registry.resident.idNumber')} extra={requireId ? t('registry.resident.idHint') : t('registry.resident.idKeep')}
        rules={[{ required: requireId, pattern: /^\d{17}[\dXx]$/, message: t('registry.invalidId') }]}>
        <Input maxLength={18} autoComplete="off" />
      </Form.Item>
      <Form.Item name="relation" label={t('registry.resident.relation')} rules={[{ required: true, whitespace: true, max: 10 }]}>
        <Select showSearch={{}} options={['户主', '配偶', '子女', '父母', '祖父母', '孙子女', '兄弟姐妹', '儿媳', '女婿', '其他'].map((x) => ({ value: x, label: x }))} />
      </Form.Item>
      <Form.Item name="phone" label={t('registry.resident.phone')} rules={[{ pattern: PHONE, message: t('registry.invalidPhone') }]}>
        <Input inputMode="tel" maxLength={11} />
      </Form.Item>
      <Form.Item name="ethnicity" label={t('registry.resident.ethnicity')}>
        <Input maxLength={10} placeholder="汉族" />
      </Form.Item>
      <Form.Item name="political" label={t('registry.resident.political')}>
        <Select options={(['masses', 'league', 'party'] as const).map((p) => ({ value: p, label: t(`registry.resident.politicals.${p}`) }))} />
      </Form.Item>
    </>
  );
}

export function ResidentCreateModal({ open, householdId, onClose, onCreated }: { open: boolean; householdId: number; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const fail = useErrorToast();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (open ? idempotencyKey() : ''), [open]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/households/${householdId}/residents`, {
        name: v.name.trim(), idNumber: v.idNumber.trim().toUpperCase(), relation: v.relation,
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
        ...(v.ethnicity?.trim() ? { ethnicity: v.ethnicity.trim() } : {}),
        ...(v.political ? { political: v.political } : {}),
      }, { idempotencyKey: key });
      form.resetFields();
      onCreated();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('registry.resident.add')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ political: 'masses' }}>
        <ResidentFields requireId />
      </Form>
    </Modal>
  );
}

export function ResidentEditModal({ residentId, onClose, onSaved }: { residentId: number | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const r = useRemote(residentId ? () => api.get<ResidentDetail>(`/residents/${residentId}`) : null, [residentId]);

  useEffect(() => {
    if (r.data) form.setFieldsValue({ name: r.data.name, relation: r.data.relation, ethnicity: r.data.ethnicity, political: r.data.political, status: r.data.status, idNumber: '', phone: '' });
  }, [r.data, form]);

  const submit = async () => {
    if (!r.data) return;
    const v = await form.validateFields();
    const body: Record<string, unknown> = { version: r.data.version };
    for (const k of ['name', 'relation', 'ethnicity', 'political', 'status'] as const) {
      const val = typeof v[k] === 'string' ? v[k].trim() : v[k];
      if (val !== undefined && val !== (r.data as unknown as Record<string, unknown>)[k]) body[k] = val;
    }
    if (v.idNumber?.trim()) body.idNumber = v.idNumber.trim().toUpperCase();
    if (v.phone?.trim()) body.phone = v.phone.trim();
    setBusy(true);
    try {
      await api.patch(`/residents/${r.data.id}`, body);
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        modal.warning({ title: e.message, content: t('registry.conflictHint') });
        r.reload();
      } else message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={residentId !== null} title={t('registry.resident.editTitle', { name: r.data?.name ?? '' })} onCancel={onClose} onOk={submit} confirmLoading={busy} forceRender>
      {r.error ? <div role="alert">{r.error.message}</div> : !r.data ? <Skeleton active /> : null}
      <Form form={form} layout="vertical" style={{ display: r.data ? undefined : 'none' }}>
        <ResidentFields requireId={false} />
        <Form.Item name="status" label={t('common.status')}>
          <Select options={(['present', 'away', 'deceased', 'moved'] as const).map((s) => ({ value: s, label: t(`registry.resident.statuses.${s}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
