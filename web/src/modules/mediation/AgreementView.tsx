/** 人民调解协议书 as a printable page: parties, the dispute, the terms, signatures. */
import { useTranslation } from 'react-i18next';
import { day, type DisputeDetail } from './types';

export function AgreementView({ d }: { d: DisputeDetail }) {
  const { t } = useTranslation();
  return (
    <article className="xz-agreement" data-testid="agreement-view" style={{ fontFamily: 'serif', lineHeight: 1.9, padding: '8px 16px' }}>
      <h2 style={{ textAlign: 'center', letterSpacing: 4 }}>{t('mediation.agreementTitle')}</h2>
      <p style={{ textAlign: 'right' }}>{d.dossierNo ?? d.code}</p>
      {d.parties.map((p) => <p key={p.id}>{p.sideLabel}：{p.name}</p>)}
      <p><b>{t('mediation.agreementFacts')}</b>：{d.summary}</p>
      <p><b>{t('mediation.claim')}</b>：{d.claim}</p>
      <p>{d.agreementText}</p>
      <ol>{d.agreementTerms.map((x, i) => <li key={i}>{x}</li>)}</ol>
      <p>{t('mediation.agreementClause')}</p>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 32, marginTop: 24 }}>
        {d.parties.map((p) => <span key={p.id}>{p.sideLabel}（{t('mediation.signature')}）：{p.name}{p.signedAt ? ` ${day(p.signedAt)}` : ''}</span>)}
        <span>{t('mediation.col.mediator')}（{t('mediation.signature')}）：{d.mediatorName}</span>
      </div>
      <p style={{ textAlign: 'right', marginTop: 24 }}>{d.villageName}{t('mediation.committee')}<br />{day(d.agreedAt)}</p>
    </article>
  );
}
