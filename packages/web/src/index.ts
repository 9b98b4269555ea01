export { createWebApp, homeOf, SESSION_COOKIE, type WebOptions } from './app';
export { startWeb, type RunningWeb } from './start';
export { DEMO_USERS, type User } from './identity';
