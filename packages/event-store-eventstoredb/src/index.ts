export {
  createEventStoreDbEventStore,
  isStreamNotFound,
  isWrongExpectedVersion,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb-event-store';
export { parseCheckpoint as parseEventStoreDbCheckpoint, streamPrefixFor, validateStreamPrefix } from './mapping';
