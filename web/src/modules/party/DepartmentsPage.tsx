/** 县直部门: county departments and the villages each one is linked to (部门联村; its score follows them). */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Skeleton, Space, Table, TreeSelect, Typography } from 'antd';
import { EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, idempotencyKey } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { ErrorResult } from '../../console/components/ErrorResult';
import { NotFoundResult } from '../../console/components/NotFoundResult';
import { useRemote } from '../../shared/useRemote';
import { useSession } from '../../shared/session';
import type { RegionNode } from '../../shared/types';

interface Department { id: number; code: string; name: string; phone: string | null; villageCount: number }
interface DepartmentDetail extends Department { villages: { id: number; code: string; name: string; townshipName: string }[]; canManage: boolean }

export default function DepartmentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const list = usePaged<Department>('/departments', { q: q || undefined });
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('party.department.title')}</Typography.Title>
        {can('departments.manage') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>{t('party.department.create')}</Button>}
      </Space>
      <Card size="small">
        <form className="xz-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setQ(draft.trim()); }}>
          <Input value={draft} onChange={(e) => setDraft(e.target.value)} allowClear placeholder={t('party.department.qPlaceholder')} aria-label={t('party.department.qPlaceholder')} style={{ width: 240 }} />
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
        </form>
        {list.error && <ErrorResult error={list.error} inline onRetry={list.reload} />}
        <Table<Department> rowKey="id" size="middle" dataSource={list.items} loading={list.loading} pagination={false}
          onRow={(r) => ({ onClick: () => navigate(`/departments/${r.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('party.department.code'), dataIndex: 'code', width: 120 },
            { title: t('party.department.name'), dataIndex: 'name' },
            { title: t('party.department.phone'), dataIndex: 'phone', width: 160, render: (v: string | null) => v ?? '—' },
            { title: t('party.department.villages'), dataIndex: 'villageCount', width: 100, align: 'right' },
          ]} />
        <PagerBar list={list} />
      </Card>
      <DepartmentDrawer id={id ? Number(id) : null} onClose={() => navigate('/departments')} onEdit={(d) => setEditing(d)} onChanged={list.reload} />
      <DepartmentModal value={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); list.reload(); }} />
    </div>
  );
}

function DepartmentDrawer({ id, onClose, onEdit, onChanged }: { id: number | null; onClose: () => void; onEdit: (d: Department) => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const valid = id !== null && Number.isInteger(id) && id > 0;
  const d = useRemote(valid ? () => api.get<DepartmentDetail>(`/departments/${id}`) : null, [id]);
  const [linking, setLinking] = useState(false);
  return (
    <Drawer open={id !== null} onClose={onClose} size={680} destroyOnHidden title={d.data?.name ?? t('party.department.title')}
      extra={d.data?.canManage ? <Space>
        <Button onClick={() => setLinking(true)}>{t('party.department.editVillages')}</Button>
        <Button type="primary" icon={<EditOutlined />} onClick={() => onEdit(d.data!)}>{t('common.edit')}</Button>
      </Space> : null}>
      {!valid ? <NotFoundResult /> : d.error ? <ErrorResult error={d.error} onRetry={d.reload} /> : !d.data ? <Skeleton active /> : (
        <>
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }} items={[
            { label: t('party.department.code'), children: d.data.code },
            { label: t('party.department.phone'), children: d.data.phone ?? '—' },
          ]} />
          <Typography.Title level={3} style={{ fontSize: 16 }}>{t('party.department.linkedVillages', { n: d.data.villageCount })}</Typography.Title>
          <Table rowKey="id" size="small" pagination={false} dataSource={d.data.villages} locale={{ emptyText: t('party.department.noVillages') }}
            columns={[
              { title: t('party.department.township'), dataIndex: 'townshipName' },
              { title: t('party.member.village'), dataIndex: 'name' },
              { title: t('party.department.code'), dataIndex: 'code' },
            ]} />
          <VillagesModal open={linking} dept={d.data} onClose={() => setLinking(false)} onSaved={() => { setLinking(false); d.reload(); onChanged(); }} />
        </>
      )}
    </Drawer>
  );
}

/** Choose the linked villages from the tree (townships expand to their villages). */
function VillagesModal({ open, dept, onClose, onSaved }: { open: boolean; dept: DepartmentDetail; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [value, setValue] = useState<number[]>(dept.villages.map((v) => v.id));
  const [nodes, setNodes] = useState<{ id: number; pId: number | null; value: number; title: string; isLeaf: boolean; checkable: boolean }[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setValue(dept.villages.map((v) => v.id));
    api.get<RegionNode[]>('/regions/tree').then((roots) => setNodes(roots.map((r) => ({ id: r.id, pId: null, value: r.id, title: r.name, isLeaf: r.level === 'village', checkable: r.level === 'village' }))), () => undefined);
  }, [open, dept]);
  const loadData = async ({ id }: { id?: number }) => {
    if (!id || nodes.some((n) => n.pId === id)) return;
    const kids = await api.get<RegionNode[]>('/regions/tree', { parentId: id });
    setNodes((prev) => [...prev, ...kids.filter((k) => k.level !== 'group').map((k) => ({ id: k.id, pId: id, value: k.id, title: k.name, isLeaf: k.level === 'village', checkable: k.level === 'village' }))]);
  };
  const save = async () => {
    setBusy(true);
    try {
      await api.put(`/departments/${dept.id}/villages`, { regionIds: value });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('party.department.editVillagesTitle', { name: dept.name })} onCancel={onClose} onOk={save} confirmLoading={busy} width={600}>
      <Typography.Paragraph type="secondary">{t('party.department.villagesHint')}</Typography.Paragraph>
      <TreeSelect<number[]> treeDataSimpleMode treeData={nodes} loadData={loadData as never} treeCheckable showCheckedStrategy={TreeSelect.SHOW_ALL}
        value={value} onChange={(v) => setValue(v)} style={{ width: '100%' }} aria-label={t('party.department.villages')}
        labelInValue={false} placeholder={t('party.department.pickVillages')}
        tagRender={undefined} maxTagCount={30} />
    </Modal>
  );
}

function DepartmentModal({ value, onClose, onSaved }: { value: Department | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (value === 'new' ? idempotencyKey() : ''), [value]);
  const editing = value && value !== 'new' ? value : null;
  useEffect(() => {
    if (value) form.setFieldsValue(editing ? { code: editing.code, name: editing.name, phone: editing.phone ?? '' } : { code: '', name: '', phone: '' });
  }, [value, editing, form]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body = { code: v.code.trim(), name: v.name.trim(), ...(v.phone?.trim() ? { phone: v.phone.trim() } : editing ? { phone: null } : {}) };
      if (editing) await api.patch(`/departments/${editing.id}`, body);
      else await api.post('/departments', body, { idempotencyKey: key });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={value !== null} title={editing ? t('party.department.editTitle', { name: editing.name }) : t('party.department.create')} onCancel={onClose} onOk={submit} confirmLoading={busy} forceRender>
      <Form form={form} layout="vertical">
        <Form.Item name="code" label={t('party.department.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,20}$/, message: t('party.department.codeRule') }]}><Input /></Form.Item>
        <Form.Item name="name" label={t('party.department.name')} rules={[{ required: true, whitespace: true, min: 2, max: 60 }]}><Input /></Form.Item>
        <Form.Item name="phone" label={t('party.department.phone')} rules={[{ pattern: /^[0-9+()\- ]{5,20}$/, message: t('party.department.phoneRule') }]}><Input /></Form.Item>
      </Form>
    </Modal>
  );
}
