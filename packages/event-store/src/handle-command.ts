// Emmett-shaped command handling: read the stream, fold it into state, decide, append.
import {
  ConcurrencyConflictError,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
} from './port';

export type Decider<Command, Event extends DomainEvent, State> = Readonly<{
  /** Pure: what happens when `command` meets `state`. Throw to reject the command. */
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}>;

export type HandleCommandOptions<State = unknown> = Readonly<{
  /**
   * The version the caller's change is based on (an If-Match): a conflict is the caller's to resolve, so it is
   * thrown. Without it the command is decided on the version read, and on a conflict decided again on fresh state.
   */
  expectedVersion?: ExpectedVersion;
  /** How often to decide again after a conflict when no expected version was given (default 3). */
  retries?: number;
  /** Stored with the new events; from the state read where it depends on the aggregate (e.g. stream facts). */
  metadata?: EventMetadata | ((state: State) => EventMetadata);
}>;

export type HandleCommandResult<Event extends DomainEvent, State> = Readonly<{
  newState: State;
  newEvents: Event[];
  /** The stream's events the decision was based on (before the new ones). */
  history: Event[];
  /** The stream's version after the append (unchanged when nothing was decided). */
  nextExpectedVersion: number;
}>;

/**
 * The command, or how to make it from the state read: access checks and the command come from that one read
 * (it may be async and may throw to refuse). It is called again on each retry, with the fresh state.
 */
export type CommandSource<Command, State> = Command | MakeCommand<Command, State>;
export type MakeCommand<Command, State> = (
  state: State,
  read: Readonly<{ version: number }>,
) => Command | Promise<Command>;

// Commands are data, never functions, so a function is a command maker.
const isMaker = <Command, State>(source: CommandSource<Command, State>): source is MakeCommand<Command, State> =>
  typeof source === 'function';

export const DEFAULT_RETRIES = 3;

export const handleCommand = async <Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  { decide, evolve, initialState }: Decider<Command, Event, State>,
  source: CommandSource<Command, State>,
  options: HandleCommandOptions<State> = {},
): Promise<HandleCommandResult<Event, State>> => {
  const retries = options.expectedVersion === undefined ? (options.retries ?? DEFAULT_RETRIES) : 0;
  for (let attempt = 0; ; attempt++) {
    const { events, currentVersion } = await store.readStream<Event>(streamId);
    const state = events.reduce(evolve, initialState());
    const command = isMaker(source) ? await source(state, { version: currentVersion }) : source;
    const newEvents = decide(command, state);
    const newState = newEvents.reduce(evolve, state);
    if (newEvents.length === 0) return { newState, newEvents, history: events, nextExpectedVersion: currentVersion };
    try {
      const metadata = typeof options.metadata === 'function' ? options.metadata(state) : options.metadata;
      const { nextExpectedVersion } = await store.append(streamId, newEvents, {
        expectedVersion: options.expectedVersion ?? currentVersion,
        ...(metadata ? { metadata } : {}),
      });
      return { newState, newEvents, history: events, nextExpectedVersion };
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError) || attempt >= retries) throw error;
    }
  }
};
