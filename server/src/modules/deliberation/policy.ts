/**
 * Who may do what with a deliberation topic — pure rules over the caller's grants.
 *  - manage (立题、各环节、会议、计票、公开): deliberation.manage on the topic's village (村两委干部).
 *  - read: deliberation.read on the place (township and county cadres, 村务监督委员会 in its village).
 *  - guide (乡镇指导意见): deliberation.guide; object (监督委员会异议): deliberation.object.
 *  - review items (党员): deliberation.review on the village — topics from the committees' discussion on.
 *  - villagers (deliberation.vote): published resolutions/results of their village, open votes there.
 */
import { covers, type Actor } from '../../core/actor.js';
import type { TopicState } from './tables.js';

export const MANAGE = 'deliberation.manage';
export const READ = 'deliberation.read';
export const GUIDE = 'deliberation.guide';
export const OBJECT = 'deliberation.object';
export const REVIEW = 'deliberation.review';
export const VOTE = 'deliberation.vote';

export interface TopicRes {
  id: number;
  countyId: number;
  regionPath: string;
  state: TopicState;
  version: number;
}

export const canManage = (a: Actor, r: Pick<TopicRes, 'regionPath'>) => a.kind === 'staff' && covers(a, MANAGE, r.regionPath);
export const canRead = (a: Actor, r: Pick<TopicRes, 'regionPath'>) => a.kind === 'staff' && (covers(a, READ, r.regionPath) || covers(a, MANAGE, r.regionPath));
export const canGuide = (a: Actor, r: Pick<TopicRes, 'regionPath'>) => a.kind === 'staff' && covers(a, GUIDE, r.regionPath);
export const canObject = (a: Actor, r: Pick<TopicRes, 'regionPath'>) => a.kind === 'staff' && covers(a, OBJECT, r.regionPath);
