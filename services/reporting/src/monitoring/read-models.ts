// The read models of the monitoring, all derived from the received-events log.
//
// One fact row per referral, pseudonymous and free of personal data: the referral id, codes, bands
// and dates; Positieve Gezondheid scores as arrays in the vocabulary's dimension order. Every group of columns has the log position of the event that set it, so a query can
// read the state "as of" any position: a column counts only when its position is ≤ P. Each group
// is set once, by the first event of its kind (later duplicates of a step change nothing), which
// makes the projection independent of the order in which the steps arrive.
// Their tables: migrations.ts.

/** Every read-model table (received_events is not one): what a rebuild makes again. */
export const READ_MODEL_TABLES = [
  'referral_facts',
  'activity_links',
  'consent_facts',
  'access_denials',
  'social_map_services',
  'practice_list_sizes',
  'capacity_plans',
] as const;
