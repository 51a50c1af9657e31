// A sync's store that opens a load's transaction and holds it, to be killed there by
// sync-store.test.ts: node --import tsx sync-load-child.ts <database url>
import { Store } from '../../src/sync/store.js';
import { createsBatch, TOPIC } from './sync-batches.js';

const store = await Store.open({ db: process.argv[2]!, table: 'holding_pivot_audit', topic: TOPIC, loadDelayMs: 600_000 });
await store.load(createsBatch(new Map([[0, null]]), 0, 3));
