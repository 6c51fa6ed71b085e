/**
 * Console home: what waits for the caller (待办, from GET /me/todos — every module's waiting work
 * in their scope, each linking to the page where it is done), then the menu entries as shortcuts.
 */
import { Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useSession } from '../shared/session';
import { useRemote } from '../shared/useRemote';
import { consoleModules } from './modules';

interface Todo { key: string; label: string; count: number; path: string; tone: 'default' | 'warning' | 'danger' }

const TONE_COLOUR = { default: undefined, warning: '#ad4e00', danger: '#b71c1c' } as const;

function Todos() {
  const { t } = useTranslation();
  const r = useRemote(() => api.get<{ items: Todo[] }>('/me/todos'), []);
  if (r.error) return null; // the shortcuts below still work; the home page never fails on this
  if (!r.data) return <Skeleton active paragraph={{ rows: 1 }} />;
  const items = r.data.items;
  if (items.length === 0) return null;
  const waiting = items.some((x) => x.count > 0);
  return (
    <section aria-labelledby="xz-todos" style={{ marginBottom: 20 }}>
      <Typography.Title id="xz-todos" level={3} style={{ fontSize: 16 }}>{t('home.todos')}</Typography.Title>
      {!waiting && <Typography.Paragraph type="secondary">{t('home.allClear')}</Typography.Paragraph>}
      <Row gutter={[12, 12]}>
        {items.map((x) => (
          <Col key={x.key} xs={24} sm={12} md={8} lg={6}>
            <Link to={x.path} data-todo={x.key}>
              <Card hoverable size="small">
                <Statistic title={t(`home.todo.${x.key.replace(/\./g, '_')}`, { defaultValue: x.label })} value={x.count} valueStyle={{ color: x.count > 0 ? TONE_COLOUR[x.tone] : undefined }} />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </section>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const entries = consoleModules.flatMap((m) => m.menu).filter((e) => can(e.permission));
  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20 }}>{t('home.welcome', { name: me?.displayName ?? '' })}</Typography.Title>
      <Todos />
      <Typography.Title level={3} style={{ fontSize: 16 }}>{t('home.shortcuts')}</Typography.Title>
      <Row gutter={[12, 12]}>
        {entries.map((e) => (
          <Col key={e.path} xs={12} sm={8} md={6} lg={4}>
            <Link to={'/' + e.path.replace(/^\//, '')}>
              <Card hoverable size="small" style={{ textAlign: 'center' }}>
                <div style={{ fontSize: 24, color: '#b71c1c' }} aria-hidden>{e.icon}</div>
                <div>{t(e.labelKey)}</div>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </div>
  );
}
