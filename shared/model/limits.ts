/**
 * The stated ceilings of a plan, in one place: the validator refuses a definition that exceeds
 * them where it can tell from the definition alone, the planner (shared/timeline) where it
 * takes the start and the units to know. Far above any real timeline (the Ishøj strategy for 19
 * units has 27 occurrences over four years); they keep every plan, preview and page small.
 */

/** No deadline, reminder, escalation or recurrence end further than this from the start. */
export const MAX_HORIZON_YEARS = 50;

/** Occurrences of one instance: every repetition of every milestone for every unit. */
export const MAX_OCCURRENCES_PER_INSTANCE = 1000;

/** Repetitions of one recurring milestone (per unit). */
export const MAX_REPETITIONS = 500;
