import type { ReactNode } from 'react';

/** One console menu entry. labelKey/group are i18n keys (see web/src/i18n/index.ts). */
export interface ConsoleMenuEntry {
  labelKey: string;
  icon?: ReactNode;
  path: string;
  /** Shown only when the signed-in user holds this permission somewhere (the server still checks). */
  permission?: string;
  /** i18n key of the side-menu group this entry sits in; entries with the same group share a submenu. */
  group?: string;
}

export interface ConsoleRoute {
  /** Path under the console root, e.g. 'households' or 'households/:id' (no leading slash needed). */
  path: string;
  element: ReactNode;
}

export interface ConsoleModule {
  key: string;
  menu: ConsoleMenuEntry[];
  routes: ConsoleRoute[];
}
