// Emmett-shaped command handling: read the stream, fold it into state, decide, append.
import type { DomainEvent, EventMetadata, EventStore, ExpectedVersion } from './port';

export type Decider<Command, Event extends DomainEvent, State> = Readonly<{
  /** Pure: what happens when `command` meets `state`. Throw to reject the command. */
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}>;

export type HandleCommandOptions = Readonly<{
  /** Defaults to the version that was read, so two concurrent commands on a stream conflict. */
  expectedVersion?: ExpectedVersion;
  metadata?: EventMetadata;
}>;

export type HandleCommandResult<Event extends DomainEvent, State> = Readonly<{
  newState: State;
  newEvents: Event[];
  /** The stream's version after the append (unchanged when nothing was decided). */
  nextExpectedVersion: number;
}>;

export const handleCommand = async <Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  { decide, evolve, initialState }: Decider<Command, Event, State>,
  command: Command,
  options: HandleCommandOptions = {},
): Promise<HandleCommandResult<Event, State>> => {
  const { events, currentVersion } = await store.readStream<Event>(streamId);
  const state = events.reduce(evolve, initialState());
  const newEvents = decide(command, state);
  const newState = newEvents.reduce(evolve, state);
  if (newEvents.length === 0) return { newState, newEvents, nextExpectedVersion: currentVersion };

  const { nextExpectedVersion } = await store.append(streamId, newEvents, {
    expectedVersion: options.expectedVersion ?? currentVersion,
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  return { newState, newEvents, nextExpectedVersion };
};
