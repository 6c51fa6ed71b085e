/** Shapes of the service-order API (server/src/modules/service-orders/routes.ts). */
export const SERVICE_KINDS = ['代办服务', '助老助残', '农技帮扶', '家电维修', '政策咨询', '就业帮扶', '其他'] as const;

export interface OrderItem {
  id: number; code: string; kind: string; title: string; state: string; stateLabel: string;
  requesterName: string; memberName: string | null; rating: number | null; createdAt: string;
}
export interface OrderDetail extends OrderItem {
  description: string; memberId: number | null; result: string | null;
  assignedAt: string | null; takenAt: string | null; completedAt: string | null;
  history: { action: string; actorName: string; from: string | null; to: string; comment: string | null; at: string }[];
  actions: { action: string; label: string }[];
}
export interface StepResult { id: number; state: string; order: OrderDetail | null }
export interface Candidate { memberId: number; name: string; linked: boolean }

/** Colour of a state tag, the same on both entries. */
export const STATE_TONE: Record<string, 'default' | 'primary' | 'warning' | 'success' | 'danger'> = {
  requested: 'warning', assigned: 'primary', taken: 'primary', completed: 'warning', closed: 'success', cancelled: 'default',
};
export const when = (s: string | null) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');
