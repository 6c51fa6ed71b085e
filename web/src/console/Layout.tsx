/** Console frame: side menu built from consoleModules (filtered by the user's permissions), header with user, language, logout. */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Button, Dropdown, Layout, Menu, Select, Typography, type MenuProps } from 'antd';
import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSession } from '../shared/session';
import { LANGS, setLanguage, type Lang } from '../i18n';
import { consoleModules } from './modules';

type Item = Required<MenuProps>['items'][number];

function useMenuItems(): { items: Item[]; paths: string[] } {
  const { t } = useTranslation();
  const { can } = useSession();
  return useMemo(() => {
    const items: Item[] = [];
    const groups = new Map<string, Item[]>();
    const paths: string[] = [];
    for (const m of consoleModules) {
      for (const e of m.menu) {
        if (!can(e.permission)) continue;
        const path = '/' + e.path.replace(/^\//, '');
        paths.push(path);
        const item: Item = { key: path, icon: e.icon, label: <Link to={path}>{t(e.labelKey)}</Link> };
        if (!e.group) {
          items.push(item);
          continue;
        }
        let children = groups.get(e.group);
        if (!children) {
          children = [];
          groups.set(e.group, children);
          items.push({ key: `group:${e.group}`, label: t(e.group), type: 'group', children });
        }
        children.push(item);
      }
    }
    return { items, paths };
  }, [t, can]);
}

/**
 * Wide tables scroll sideways inside .ant-table-content; keyboard users can only scroll a region
 * that can take focus (WCAG 2.1.1), so every such container gets tabindex=0 as it appears.
 */
function useFocusableScrollRegions() {
  useEffect(() => {
    const mark = () => {
      document.querySelectorAll<HTMLElement>('.ant-table-content:not([tabindex])').forEach((el) => {
        el.tabIndex = 0;
      });
    };
    mark();
    const obs = new MutationObserver(mark);
    obs.observe(document.body, { childList: true, subtree: true });
    return () => obs.disconnect();
  }, []);
}

export function ConsoleLayout({ children }: { children: ReactNode }) {
  useFocusableScrollRegions();
  const { t, i18n } = useTranslation();
  const { me, logout } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const { items, paths } = useMenuItems();
  // The longest menu path that prefixes the current URL is the selected entry (detail pages keep their list lit).
  const selected = paths.filter((p) => location.pathname === p || location.pathname.startsWith(p + '/')).sort((a, b) => b.length - a.length)[0];

  const userMenu: MenuProps['items'] = [
    { key: 'logout', icon: <LogoutOutlined />, label: t('common.logout') },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} collapsible collapsed={collapsed} trigger={null} theme="light" breakpoint="lg" onBreakpoint={setCollapsed}
        style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ height: 56, display: 'flex', alignItems: 'center', padding: '0 20px', background: '#b71c1c' }}>
          <Link to="/" className="xz-brand" aria-label={t('common.appName')}>{collapsed ? '乡治' : t('common.appName')}</Link>
        </div>
        <nav aria-label={t('common.mainMenu')}>
          <Menu mode="inline" items={items} selectedKeys={selected ? [selected] : []} style={{ borderInlineEnd: 0 }} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', height: 56, borderBottom: '1px solid #f0f0f0' }}>
          <Button type="text" aria-label={collapsed ? t('common.expandMenu') : t('common.collapseMenu')}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />} onClick={() => setCollapsed(!collapsed)} />
          <div className="xz-header-right">
            <Select<Lang> size="small" value={(i18n.language as Lang) ?? 'zh-CN'} aria-label={t('common.language')} style={{ width: 110 }}
              options={LANGS.map((l) => ({ value: l.key, label: l.label }))} onChange={(v) => void setLanguage(v)} />
            <Dropdown menu={{ items: userMenu, onClick: async ({ key }) => {
              if (key === 'logout') {
                await logout();
                navigate('/login', { replace: true });
              }
            } }}>
              <Button type="text" icon={<UserOutlined />}>
                <Typography.Text>{me?.displayName ?? ''}</Typography.Text>
              </Button>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content>
          <main>{children}</main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
