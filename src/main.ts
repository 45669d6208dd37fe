// Entry of the compiled binary (bin/perf-analyze.js imports this file).
import { main } from './cli.js';

process.exitCode = await main(process.argv);
