/** One published resolution (村民) or review item (党员) on the phone: the stages, the notice, the vote, the result. */
import { List, Skeleton, Steps, Tag } from 'antd-mobile';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { day, type TopicDetail } from '../types';

export default function TopicView() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const r = useRemote(() => api.get<TopicDetail>(`/me/deliberation/topics/${id}`), [id]);
  const x = r.data;
  return (
    <PhonePage title={x?.title ?? t('deliberation.detail')}>
      {r.error ? <PhoneError error={r.error} onRetry={r.reload} /> : !x ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <div className="m-section"><Tag color={x.state === 'done' ? '#237804' : 'primary'}>{x.stateLabel}</Tag></div>
          <Steps direction="vertical" current={Math.max(0, x.stages.findIndex((s) => s.status !== 'finish'))}>
            {x.stages.map((s) => <Steps.Step key={s.key} title={s.label} description={s.at ? day(s.at) : undefined} status={s.status} />)}
          </Steps>
          <List mode="card">
            <List.Item title={t('deliberation.content')}>{x.content}</List.Item>
            {x.noticeText && <List.Item title={t('deliberation.notice')} description={`${x.noticeFrom} — ${x.noticeTo}`} data-testid="phone-notice">{x.noticeText}</List.Item>}
            {x.meetings.filter((m) => m.result).map((m) => (
              <List.Item key={m.id} title={m.kindLabel} description={m.rule}>
                {t('deliberation.phone.tally', { present: m.present, expected: m.expected, for: m.for, against: m.against, abstain: m.abstain })} · {m.resultLabel}
              </List.Item>
            ))}
            {x.implementationResult && <List.Item title={t('deliberation.implementationResult')}>{x.implementationResult}</List.Item>}
          </List>
        </>
      )}
    </PhonePage>
  );
}
