/** 审签流程: a village's sign-off chain (or the county default) as editable data, at most 8 steps. */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, Select, Space, Steps, Tag } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { useSession } from '../../shared/session';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { VillagePicker } from './VillagePicker';

interface Chain { villageId: number | null; source: 'village' | 'county' | 'builtin'; steps: { label: string; role: string; level: string }[]; updatedBy: string | null; roles: { key: string; name: string; level: string }[] }

export default function ChainPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can, me } = useSession();
  const [villageId, setVillageId] = useState<number | undefined>();
  // the county default is the county's to change; a township edits its villages' chains
  const canEdit = can('disclosure.chain') && (villageId !== undefined || !!me?.grants.some((g) => g.regionLevel === 'county'));
  const r = useRemote(() => api.get<Chain>('/disclosure/chain', { villageId }), [villageId]);
  const [form] = Form.useForm();
  const onVillage = useCallback((id: number | undefined) => setVillageId(id), []);
  useEffect(() => {
    if (r.data) form.setFieldsValue({ steps: r.data.steps.map((s) => ({ label: s.label, role: s.role })) });
  }, [r.data, form]);
  const roleName = (k: string) => r.data?.roles.find((x) => x.key === k)?.name ?? k;

  const save = async () => {
    const v = await form.validateFields();
    try {
      r.setData(await api.put<Chain>('/disclosure/chain', { villageId: villageId ?? null, steps: v.steps }));
      message.success(t('disclosure.done'));
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };

  return (
    <Card title={t('disclosure.menu.chain')} extra={<VillagePicker value={villageId} onChange={onVillage} allowAll />}>
      {r.error ? <ErrorResult error={r.error} onRetry={r.reload} /> : r.data && (
        <>
          <p>{villageId ? '' : t('disclosure.chain.countyDefault')} <Tag>{t(`disclosure.chain.source.${r.data.source}`)}</Tag>{r.data.updatedBy && ` ${r.data.updatedBy}`}</p>
          <Steps size="small" style={{ marginBottom: 24 }} items={r.data.steps.map((s) => ({ title: s.label, content: roleName(s.role), status: 'wait' }))} />
          {canEdit && (
            <Form form={form} layout="inline" style={{ flexDirection: 'column', gap: 8 }}>
              <Form.List name="steps">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f, i) => (
                      <Space key={f.key} align="baseline">
                        <span>{i + 1}.</span>
                        <Form.Item name={[f.name, 'label']} rules={[{ required: true, whitespace: true }]}><Input aria-label={t('disclosure.chain.label')} placeholder={t('disclosure.chain.label')} maxLength={30} /></Form.Item>
                        <Form.Item name={[f.name, 'role']} rules={[{ required: true }]}><Select aria-label={t('disclosure.chain.role')} style={{ width: 200 }} options={r.data!.roles.map((x) => ({ value: x.key, label: x.name }))} /></Form.Item>
                        {fields.length > 1 && <MinusCircleOutlined aria-label="remove" onClick={() => remove(f.name)} />}
                      </Space>
                    ))}
                    <Space>
                      <Button icon={<PlusOutlined />} disabled={fields.length >= 8} onClick={() => add({ label: '', role: 'village_cadre' })}>{t('disclosure.chain.add')}（{t('disclosure.chain.max')}）</Button>
                      <Button type="primary" onClick={save}>{t('disclosure.chain.save')}</Button>
                    </Space>
                  </>
                )}
              </Form.List>
            </Form>
          )}
        </>
      )}
    </Card>
  );
}
