/** Phone home: greeting and the tiles of every phone module the user may use. */
import { Link, useNavigate } from 'react-router-dom';
import { Button, Grid } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useSession, userKindOf } from '../shared/session';
import { phoneModules } from './modules';
import { OutboxBadge } from './OutboxBadge';

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
        <div className="m-section">
          <Button block fill="outline" onClick={async () => { await logout(); navigate('/login', { replace: true }); }}>{t('common.logout')}</Button>
        </div>
      </main>
    </div>
  );
}
