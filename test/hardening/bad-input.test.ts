/**
 * The bad-input suite (issue 15): every entry point (admin API, dashboard forms, CSV import,
 * YAML and JSON sources, confirm links, calendar feeds, the outbox) against tables of bad input
 * (tables.ts), each case generated from a row × an entry point. Every case must be refused with a
 * 4xx that says where, with no 500, no change in the stores, no CPR number repeated, and the
 * event loop never held for more than 100 ms while the request ran (the rule is support.ts's).
 *
 * The cases are made by what they attack, one module each: CPR numbers (cpr-cases.ts), control
 * characters in names and titles (control-cases.ts), ReDoS and patterns RE2 refuses
 * (pattern-cases.ts), parser and plan amplification and reserved keys (amplification-cases.ts),
 * odd ids in links, feeds and the outbox (link-cases.ts). They run here, in one file, so that the
 * suite's totals (at least 500 cases, names unique, the worst event-loop block) are of all of them.
 * What was stored before today's checks is stored-data.test.ts's.
 *
 * A unit test: the app is served on 127.0.0.1 over the in-memory store adapters
 * (test/http/memory-harness.ts), which pass the same contract suite as the DynamoDB ones; what a
 * refusal must not do to DynamoDB itself is the contract suite's and test/http's to show.
 *
 * test/reliability/corpus.test.ts keeps the file-based corpus (one bad definition or body per
 * file); this suite adds the generated tables and the entry points the corpus does not reach.
 */
import { amplificationCases } from "./amplification-cases.ts";
import { controlCases } from "./control-cases.ts";
import { cprCases } from "./cpr-cases.ts";
import { linkAndFeedCases } from "./link-cases.ts";
import { patternCases } from "./pattern-cases.ts";
import { badInputSuite, useHarness } from "./support.ts";

useHarness();

badInputSuite([
  ...cprCases(),
  ...controlCases(),
  ...patternCases(),
  ...amplificationCases(),
  ...linkAndFeedCases(),
]);
