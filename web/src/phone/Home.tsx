/** Phone home: greeting, what waits for me (待我处理), and the tiles of every phone module the user may use. */
import { Link, useNavigate } from 'react-router-dom';
import { Badge, Button, Grid, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useSession, userKindOf } from '../shared/session';
import { phoneModules } from './modules';
import { OutboxBadge } from './OutboxBadge';
import { api } from '../api';
import { useRemote } from '../shared/useRemote';

interface Todo { key: string; label: string; count: number; phonePath: string | null }

/** The lines of GET /me/todos that are done on the phone and have something waiting; nothing when offline. */
function PhoneTodos() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const r = useRemote(() => api.get<{ items: Todo[] }>('/me/todos'), []);
  const items = (r.data?.items ?? []).filter((x) => x.phonePath && x.count > 0);
  if (items.length === 0) return null;
  return (
    <List header={t('home.phoneTodos')} mode="card" className="m-section">
      {items.map((x) => (
        <List.Item key={x.key} data-todo={x.key} onClick={() => navigate(x.phonePath!)} extra={<Badge content={x.count} />}>
          {t(`home.todo.${x.key.replace(/\./g, '_')}`, { defaultValue: x.label })}
        </List.Item>
      ))}
    </List>
  );
}

export function PhoneHome() {
  const { t } = useTranslation();
  const { me, can, logout } = useSession();
  const navigate = useNavigate();
  const kind = userKindOf(me);
  const tiles = phoneModules.flatMap((m) => m.tiles).filter((x) => (!x.kinds || x.kinds.includes(kind)) && can(x.permission));
  return (
    <div className="m-page">
      <header className="m-hero">
        <h1>{t('common.appName')}</h1>
        <p>{t('home.phoneHello', { name: me?.displayName ?? '' })}</p>
        <OutboxBadge variant="hero" />
      </header>
      <main>
        <nav className="m-tiles" aria-label={t('home.services')}>
          {tiles.length === 0 ? <p className="m-muted" style={{ textAlign: 'center' }}>{t('home.noTiles')}</p> : (
            <Grid columns={4} gap={4}>
              {tiles.map((x) => (
                <Grid.Item key={x.path}>
                  <Link className="m-tile" to={'/' + x.path.replace(/^\//, '')}>
                    <span className="m-tile-icon">{x.icon}</span>
                    <span>{t(x.labelKey)}</span>
                  </Link>
                </Grid.Item>
              ))}
            </Grid>
          )}
        </nav>
        <PhoneTodos />
        <div className="m-section">
          <Button block fill="outline" onClick={async () => { await logout(); navigate('/login', { replace: true }); }}>{t('common.logout')}</Button>
        </div>
      </main>
    </div>
  );
}
