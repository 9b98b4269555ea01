// Given/when/then specifications for pure deciders: given past events, when a command, then
// the new events (or the error). No store, no I/O: the domain logic alone.
export type Decider<Command, Event, State> = Readonly<{
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}>;

export const deciderSpec = <Command, Event, State>(decider: Decider<Command, Event, State>) => ({
  given: (events: Event[]) => ({
    when: (command: Command) => {
      const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: Event[]) => expect(run()).toEqual(expected),
        thenThrows: (check: (error: Error) => void) => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(Error);
          check(thrown as Error);
        },
      };
    },
  }),
});
