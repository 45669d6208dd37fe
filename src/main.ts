// Entry of the compiled binary (bin/perf-analyze.js imports this file).
import { exitWhenDone, main } from './cli.js';

exitWhenDone(await main(process.argv));
