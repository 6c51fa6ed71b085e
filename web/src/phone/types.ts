import type { ReactNode } from 'react';

export type PhoneUserKind = 'villager' | 'staff';

/** A tile on the phone home page. labelKey is an i18n key (see web/src/i18n/index.ts). */
export interface PhoneTile {
  labelKey: string;
  path: string;
  icon?: ReactNode;
  /** Who sees the tile: villagers (kind 'villager'), staff (everyone else), or both when absent. */
  kinds?: PhoneUserKind[];
  permission?: string;
}

export interface PhoneRoute {
  /** Path under /m, e.g. 'my-household' (the router's basename is '/m'). */
  path: string;
  element: ReactNode;
}

export interface PhoneModule {
  key: string;
  tiles: PhoneTile[];
  routes: PhoneRoute[];
}
