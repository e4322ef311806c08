#!/usr/bin/env node
import { keepHeapSmall } from '../dist/runtime/heap-size.js';

// First, before the rest of the CLI loads and grows the heap.
keepHeapSmall();
const { run } = await import('../dist/cli.js');

await run(process.argv);
