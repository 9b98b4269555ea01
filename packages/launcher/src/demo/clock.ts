// The clock the embedded platform's services read (ServiceDeps.now). The rich demo sets it to a date
// in the past before each call, so every event carries the date it would have had; released, it is
// the wall clock again. Only the launcher holds it: no request can move it.
export type DemoClock = Readonly<{
  now: () => Date;
  /** From now on every service reads this instant. */
  set: (at: Date) => void;
  /** Back to the wall clock. */
  release: () => void;
}>;

export const createDemoClock = (): DemoClock => {
  let fixed: Date | undefined;
  return {
    now: () => (fixed ? new Date(fixed) : new Date()),
    set: (at) => {
      fixed = new Date(at);
    },
    release: () => {
      fixed = undefined;
    },
  };
};
