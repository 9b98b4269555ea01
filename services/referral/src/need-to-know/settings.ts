// An organisation's privacy settings, kept by the referral service as one event stream per
// organisation. Today one setting: who of the organisation reads a client's personal details.
// - 'need-to-know' (the default): the referral's assigned coach and the organisation's coordinators;
//   any other coach only by declaring a takeover (vervanging, urgent contact), logged as emergency access.
// - 'organisation': every coach and coordinator of the organisation (the platform's first behaviour).
import { IllegalStateError, type EventStore } from '@wor/event-store';

export const PERSONAL_DETAILS_POLICIES = ['need-to-know', 'organisation'] as const;
export type PersonalDetailsPolicy = (typeof PERSONAL_DETAILS_POLICIES)[number];
export const DEFAULT_PERSONAL_DETAILS_POLICY: PersonalDetailsPolicy = 'need-to-know';

export type OrganisationSettings = Readonly<{ personalDetails: PersonalDetailsPolicy }>;
export const initialState = (): OrganisationSettings => ({ personalDetails: DEFAULT_PERSONAL_DETAILS_POLICY });

export type SettingsEvent = {
  type: 'PersonalDetailsPolicySet';
  data: { organisationId: string; policy: PersonalDetailsPolicy; setBy: string; setAt: string };
};

export type SettingsCommand = {
  type: 'SetPersonalDetailsPolicy';
  data: { organisationId: string; policy: PersonalDetailsPolicy; by: string };
  metadata: { now: Date };
};

export const decide = (command: SettingsCommand, state: OrganisationSettings): SettingsEvent[] => {
  switch (command.type) {
    case 'SetPersonalDetailsPolicy': {
      const { organisationId, policy, by } = command.data;
      if (!PERSONAL_DETAILS_POLICIES.includes(policy)) throw new IllegalStateError(`Unknown policy ${policy}.`);
      if (state.personalDetails === policy) return [];
      return [
        {
          type: 'PersonalDetailsPolicySet',
          data: { organisationId, policy, setBy: by, setAt: command.metadata.now.toISOString() },
        },
      ];
    }
    default: {
      const exhaustive: never = command.type;
      throw new Error(`Unknown command ${String(exhaustive)}`);
    }
  }
};

export const evolve = (state: OrganisationSettings, event: SettingsEvent): OrganisationSettings => {
  switch (event.type) {
    case 'PersonalDetailsPolicySet':
      return { ...state, personalDetails: event.data.policy };
    default: {
      const exhaustive: never = event.type;
      throw new Error(`Unknown event ${String(exhaustive)}`);
    }
  }
};

export const settingsDecider = { decide, evolve, initialState };

export const SETTINGS_STREAM_PREFIX = 'organisation-settings-';
export const settingsStreamId = (organisationId: string): string => `${SETTINGS_STREAM_PREFIX}${organisationId}`;

export const readSettings = async (
  store: EventStore,
  organisationId: string,
): Promise<OrganisationSettings & { version: number }> => {
  const { events, currentVersion } = await store.readStream<SettingsEvent>(settingsStreamId(organisationId));
  return { ...events.reduce(evolve, initialState()), version: currentVersion };
};
