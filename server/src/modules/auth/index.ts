import type { ModuleDef } from '../../core/module.js';
import { authRoutes } from './routes.js';

export const authModule: ModuleDef = {
  name: 'auth',
  routes: (app) => authRoutes(app, { loginRateLimit: app.appOptions.loginRateLimit ?? 20, secureCookie: !!app.appOptions.secureCookie }),
};
