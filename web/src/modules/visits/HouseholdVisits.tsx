/** Console: the visits of one household (a tab of the household drawer). */
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import type { Visit } from './types';
import { VisitTable } from './VisitTable';

export function HouseholdVisits({ householdId }: { householdId: number }) {
  const { can } = useSession();
  const list = usePaged<Visit>('/visits', { householdId }, 20);
  if (list.error) return <ErrorResult error={list.error} inline onRetry={list.reload} />;
  return (
    <>
      <VisitTable items={list.items} loading={list.loading} showHousehold={false} canConvert={can('visits.record') && can('cases.report')} onChanged={list.reload} />
      <PagerBar list={list} />
    </>
  );
}
