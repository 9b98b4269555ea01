// Who can sign in. In the embedded default a development identity provider: pick a demo user per
// role; the BFF signs a development token for them (createDevIssuer) and keeps it server-side in the
// session. Production uses an OIDC provider instead (see docs/web.md).
import { randomBytes } from 'node:crypto';
import type { Role } from '@wor/service-kit';

export type User = Readonly<{
  id: string;
  name: string;
  roles: readonly Role[];
  organisationId?: string;
  organisationName?: string;
  municipality?: string;
  municipalAccount?: boolean;
}>;

/** The demo users of the launcher's demo data (packages/launcher/src/demo-data.ts). */
export const DEMO_USERS: readonly User[] = [
  {
    id: 'coach-anna',
    name: 'Anna (welzijnscoach)',
    roles: ['coach'],
    organisationId: 'welzijn-beterstad',
    organisationName: 'Welzijn Beterstad',
    municipality: 'GM9999',
  },
  {
    id: 'coach-bram',
    name: 'Bram (welzijnscoach)',
    roles: ['coach'],
    organisationId: 'welzijn-beterstad',
    organisationName: 'Welzijn Beterstad',
    municipality: 'GM9999',
  },
  {
    id: 'coach-cees',
    name: 'Cees (welzijnscoach)',
    roles: ['coach'],
    organisationId: 'welzijn-beterstad',
    organisationName: 'Welzijn Beterstad',
    municipality: 'GM9999',
  },
  {
    id: 'coordinator-beterstad',
    name: 'Carla (coördinator)',
    roles: ['coordinator'],
    organisationId: 'welzijn-beterstad',
    organisationName: 'Welzijn Beterstad',
    municipality: 'GM9999',
  },
  {
    id: 'privacy-officer-beterstad',
    name: 'Pieter (privacyfunctionaris)',
    roles: ['privacy-officer'],
    organisationId: 'welzijn-beterstad',
    organisationName: 'Welzijn Beterstad',
  },
  {
    id: 'keyuser-beterstad',
    name: 'Kim (key-user sociale kaart, gemeentelijk account)',
    roles: ['key-user'],
    municipality: 'GM9999',
    municipalAccount: true,
    organisationName: 'Gemeente Beterstad',
  },
  {
    id: 'gemeente-beterstad',
    name: 'Gemma (beleidsmedewerker gemeente)',
    roles: ['reporting-consumer'],
    municipality: 'GM9999',
    organisationName: 'Gemeente Beterstad',
  },
  {
    id: 'gemeente-heelwijk',
    name: 'Hans (beleidsmedewerker gemeente Heelwijk)',
    roles: ['reporting-consumer'],
    municipality: 'GM9998',
    organisationName: 'Gemeente Heelwijk',
  },
  {
    id: 'gp-system-beterschap',
    name: 'Huisartsinformatiesysteem Huisarts Beterschap',
    roles: ['gp-system'],
    organisationId: 'huisarts-beterschap',
    organisationName: 'Huisarts Beterschap',
    municipality: 'GM9999',
  },
];

export const demoUser = (id: string): User | undefined => DEMO_USERS.find((u) => u.id === id);

export const hasRole = (user: User, ...roles: Role[]): boolean => user.roles.some((r) => roles.includes(r));

export type Flash = Readonly<{
  kind: 'success' | 'error';
  title: string;
  detail?: string;
  errors?: readonly { path: string; message: string }[];
}>;

export type Session = {
  readonly id: string;
  readonly user: User;
  readonly token: string;
  readonly expiresAt: number;
  flash?: Flash;
  /** Referrals sent in this session (the demo GP page lists them). */
  sent: string[];
};

/** Sessions live in memory: a restart signs everyone out, which is fine for this BFF. */
export const createSessionStore = (ttlMs = 8 * 60 * 60 * 1000, now: () => number = Date.now) => {
  const sessions = new Map<string, Session>();
  return {
    ttlMs,
    create(user: User, token: string, lifetimeMs = ttlMs): Session {
      const session: Session = {
        id: randomBytes(32).toString('base64url'),
        user,
        token,
        expiresAt: now() + Math.min(lifetimeMs, ttlMs),
        sent: [],
      };
      sessions.set(session.id, session);
      return session;
    },
    get(id: string | undefined): Session | undefined {
      if (!id) return undefined;
      const session = sessions.get(id);
      if (session && session.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },
    delete(id: string | undefined): void {
      if (id) sessions.delete(id);
    },
  };
};
export type SessionStore = ReturnType<typeof createSessionStore>;
