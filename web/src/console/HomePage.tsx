/** Console home: greeting and the menu entries as shortcuts. */
import { Card, Col, Row, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../shared/session';
import { consoleModules } from './modules';

export function HomePage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const entries = consoleModules.flatMap((m) => m.menu).filter((e) => can(e.permission));
  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20 }}>{t('home.welcome', { name: me?.displayName ?? '' })}</Typography.Title>
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
