#!/usr/bin/env node
import { main } from '../dist/sync.js';

process.exitCode = await main(process.argv);
