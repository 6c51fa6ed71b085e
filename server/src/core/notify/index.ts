export { notify, notifyCtes, deliverOutbox, registerSender, loggingSender, LoggingSender, type Sender, type OutboundMessage, type NotifyInput } from './notify.js';
export { notifyRoutes } from './routes.js';
import type { JobHandler } from '../module.js';
import { deliverOutbox } from './notify.js';

/** Job handlers the hosting module registers (cases does, as notifications' first user). */
export const notifyJobs: Record<string, JobHandler> = {
  'notify.deliver': async (db) => {
    await deliverOutbox(db);
  },
};
