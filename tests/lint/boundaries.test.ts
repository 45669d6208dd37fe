/**
 * The room boundaries of ARCHITECTURE.md are lint rules (eslint.config.js): these cases lint a
 * line of code as if it sat in a given file and check which imports the config lets through.
 */
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The messages of the import-boundary rule for `code` placed at `filePath` (relative to the root). */
async function boundaryErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

interface BoundaryCase {
  name: string;
  filePath: string;
  code: string;
  /** a fragment of the lint message, or null when the import is allowed */
  forbidden: string | null;
}

const cases: BoundaryCase[] = [
  {
    name: 'a contract importing the configuration',
    filePath: 'src/contracts/example.ts',
    code: "import type { Config } from '../config/schema.js';\nexport type Example = Config;\n",
    forbidden: 'Contracts import only other contracts',
  },
  {
    name: 'a contract importing a package',
    filePath: 'src/contracts/example.ts',
    code: "import type { z } from 'zod';\nexport type Example = z.ZodType;\n",
    forbidden: 'Contracts import only other contracts',
  },
  {
    name: 'a contract importing another contract',
    filePath: 'src/contracts/example.ts',
    code: "import type { Finding } from './finding.js';\nexport type Example = Finding;\n",
    forbidden: null,
  },
  {
    name: 'a rule importing a port',
    filePath: 'src/rules/example.ts',
    code: "import type { Ports } from '../ports/index.js';\nexport type Example = Ports;\n",
    forbidden: 'import no port',
  },
  {
    name: 'a rule in a family folder importing a port',
    filePath: 'src/rules/host/example.ts',
    code: "import type { PostgresPort } from '../../ports/postgres.js';\nexport type Example = PostgresPort;\n",
    forbidden: 'import no port',
  },
  {
    name: 'a rule importing its contract and thresholds',
    filePath: 'src/rules/example.ts',
    code: "import type { Rule } from '../contracts/rule.js';\nimport type { Thresholds } from './thresholds.js';\nexport type Example = [Rule, Thresholds];\n",
    forbidden: null,
  },
  {
    name: 'a collector importing a rule',
    filePath: 'src/collectors/postgres/example.ts',
    code: "import { DEFAULT_THRESHOLDS } from '../../rules/thresholds.js';\nexport const example = DEFAULT_THRESHOLDS;\n",
    forbidden: 'they import no rule',
  },
  {
    name: 'a collector importing its port and the collector type',
    filePath: 'src/collectors/postgres/example.ts',
    code: "import type { PostgresPort } from '../../ports/postgres.js';\nimport type { Collector } from '../collector.js';\nexport type Example = [PostgresPort, Collector];\n",
    forbidden: null,
  },
  {
    name: 'a shared helper importing a port',
    filePath: 'src/shared/example.ts',
    code: "import type { Clock } from '../ports/clock.js';\nexport type Example = Clock;\n",
    forbidden: 'Shared helpers import only other shared helpers and contracts',
  },
  {
    name: 'a shared helper importing a contract',
    filePath: 'src/shared/example.ts',
    code: "import type { Metric } from '../contracts/metric.js';\nexport type Example = Metric;\n",
    forbidden: null,
  },
  {
    name: 'a rule importing the shared helpers',
    filePath: 'src/rules/example.ts',
    code: "import { formatBytes } from '../shared/bytes.js';\nimport { errorMessage } from '../shared/errors.js';\nexport const example = [formatBytes, errorMessage];\n",
    forbidden: null,
  },
  {
    name: 'a collector importing the shared helpers',
    filePath: 'src/collectors/docker/example.ts',
    code: "import { formatBytes } from '../../shared/bytes.js';\nimport { errorMessage } from '../../shared/errors.js';\nexport const example = [formatBytes, errorMessage];\n",
    forbidden: null,
  },
  {
    name: 'a reporter reading a file',
    filePath: 'src/reporters/example.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const example = readFileSync;\n",
    forbidden: 'I/O belongs in collectors and ports',
  },
];

describe('import boundaries between rooms (eslint.config.js)', () => {
  it.each(cases)('$name', async ({ filePath, code, forbidden }) => {
    const errors = await boundaryErrors(code, filePath);
    if (forbidden === null) expect(errors).toEqual([]);
    else expect(errors).toEqual([expect.stringContaining(forbidden)]);
  });
});
