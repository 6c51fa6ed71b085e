/** 决议公开 / 实施结果公开: the public notice as a printable page. */
import { useParams, useNavigate } from 'react-router-dom';
import { Button, Card, Space, Spin } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { ErrorResult } from '../../console/components/ErrorResult';
import { day, type TopicDetail } from './types';

export default function NoticePage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const id = Number(useParams().id);
  const d = useRemote(() => api.get<TopicDetail>(`/deliberation/topics/${id}`), [id]);
  const x = d.data;
  const resolve = x?.meetings.find((m) => m.usedBy === 'resolve');
  return (
    <Card title={t('deliberation.notice')} extra={<Space><Button onClick={() => nav(`/deliberation/${id}`)}>{t('deliberation.back')}</Button><Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>{t('deliberation.print')}</Button></Space>}>
      {d.error ? <ErrorResult error={d.error} onRetry={d.reload} /> : !x ? <Spin /> : (
        <article data-testid="notice-view" style={{ fontFamily: 'serif', lineHeight: 1.9, maxWidth: 720, margin: '0 auto' }}>
          <h1 style={{ textAlign: 'center', letterSpacing: 4, fontSize: 24 }}>{x.villageName}{t('deliberation.noticeHeading')}</h1>
          <p style={{ textAlign: 'right' }}>{x.code}</p>
          <h2 style={{ fontSize: 18 }}>{x.title}</h2>
          <p>{x.noticeText}</p>
          {resolve && <p>{t('deliberation.noticeVote', { kind: resolve.kindLabel, date: day(resolve.heldAt), expected: resolve.expected, present: resolve.present, for: resolve.for, against: resolve.against, abstain: resolve.abstain, result: resolve.resultLabel })}</p>}
          {x.implementationResult && <><h2 style={{ fontSize: 18 }}>{t('deliberation.implementationResult')}</h2><p>{x.implementationResult}</p></>}
          <p>{t('deliberation.noticePeriod')}：{x.noticeFrom} — {x.noticeTo}。{t('deliberation.noticeFeedback')}</p>
          <p style={{ textAlign: 'right', marginTop: 24 }}>{x.villageName}{t('deliberation.noticeSigned')}<br />{day(x.publishedAt)}</p>
        </article>
      )}
    </Card>
  );
}
