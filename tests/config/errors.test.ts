import { describe, expect, it } from '@jest/globals';
import { ConfigError, formatConfigErrorMessage, redactUrlCredentials, renderGivenValue } from '../../src/config/errors.js';
import { loadConfig, type FlagValues } from '../../src/config/load.js';

/** The ConfigError that loading `text` as `path` (plus flags) throws; fails the test when none is thrown. */
async function errorFor(path: string, text: string | undefined, flags: FlagValues = {}): Promise<ConfigError> {
  const files: Record<string, string> = text === undefined ? {} : { [path]: text };
  try {
    await loadConfig({
      configPath: text === undefined ? undefined : path,
      env: {},
      flags,
      readFile: async (p) => files[p] ?? '',
    });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${path}`);
}

describe('ConfigError message', () => {
  it('has a header with the count, one line per problem and a hint', async () => {
    const error = await errorFor('config.yaml', 'system:\n  sampleSeconds: 5 parsecs\ntresholds: {}\n');
    expect(error.message).toBe(
      [
        'perf-analyze: invalid configuration (2 problems):',
        '  - config.yaml: system.sampleSeconds: got "5 parsecs"; expected a duration such as 5, "5s", "500ms" or "1m"',
        '  - config.yaml: unknown key "tresholds" — did you mean "thresholds"?',
        'Run "perf-analyze init" to write a commented starter file.',
      ].join('\n'),
    );
    expect(error.name).toBe('ConfigError');
    expect(error.problems.map((p) => p.kind)).toEqual(['invalid-value', 'unknown-key']);
    expect(error.problems[0]).toMatchObject({ source: 'config.yaml', keyPath: 'system.sampleSeconds', given: '"5 parsecs"' });
  });

  it('says "1 problem" for one', () => {
    expect(formatConfigErrorMessage([{ kind: 'syntax', source: 'a.yaml', detail: 'x' }])).toContain('(1 problem):');
  });
});

describe('syntax errors', () => {
  it('YAML: names the file with line and column', async () => {
    const error = await errorFor('config.yaml', 'outputDir: reports\nformats: [json, text\nquiet: true\n');
    expect(error.problems[0]?.kind).toBe('syntax');
    expect(error.message).toMatch(/config\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it('YAML: a duplicate key is reported at its line', async () => {
    const error = await errorFor('config.yaml', 'quiet: true\nquiet: false\n');
    expect(error.message).toContain('config.yaml:2:1: YAML syntax error: Map keys must be unique');
  });

  it('JSON: names the file with the line and column of the error', async () => {
    const error = await errorFor('config.json', '{\n  "outputDir": "reports",\n  "quiet": true,\n}\n');
    expect(error.message).toContain('config.json:4:1: JSON syntax error: ');
  });

  it('JSON: an unexpected token also gets a position, without quoting the source', async () => {
    const error = await errorFor('config.json', '{\n  "outputDir": hunter2\n}');
    expect(error.message).toContain('config.json:2:16: JSON syntax error: Unexpected token');
    expect(error.message).not.toContain('hunter2');
  });

  it('JSON: a truncated file points at its end', async () => {
    const error = await errorFor('config.json', '{"quiet": true,');
    expect(error.message).toContain('config.json:1:16: JSON syntax error:');
  });

  it('a top level that is not a mapping', async () => {
    const error = await errorFor('config.yaml', '- json\n- text\n');
    expect(error.message).toContain('config.yaml: expected a mapping of configuration keys at the top level; got a list of 2');
  });
});

describe('unknown keys', () => {
  it('top level, with a did-you-mean', async () => {
    const error = await errorFor('config.yaml', 'outputdir: x\nformat: [json]\n');
    expect(error.message).toContain('config.yaml: unknown key "outputdir" — did you mean "outputDir"?');
    expect(error.message).toContain('config.yaml: unknown key "format" — did you mean "formats"?');
  });

  it('nested, with a did-you-mean at the same level', async () => {
    const error = await errorFor('config.yaml', 'thresholds:\n  cpuu:\n    warning: 70\n  disk:\n    warnign: 80\n');
    expect(error.message).toContain('config.yaml: unknown key "thresholds.cpuu" — did you mean "thresholds.cpu"?');
    expect(error.message).toContain('config.yaml: unknown key "thresholds.disk.warnign" — did you mean "thresholds.disk.warning"?');
  });

  it('a key at the wrong level points to where it belongs', async () => {
    const error = await errorFor('config.yaml', 'sampleSeconds: 5\n');
    expect(error.message).toContain('unknown key "sampleSeconds" — did you mean "system.sampleSeconds"?');
  });

  it('nothing close: lists the valid keys there', async () => {
    const error = await errorFor('config.yaml', 'system:\n  zzz: 1\n');
    expect(error.message).toContain('config.yaml: unknown key "system.zzz" (valid here: sampleSeconds)');
  });
});

describe('invalid values', () => {
  it('wrong type', async () => {
    const error = await errorFor('config.yaml', 'quiet: "yes"\nsystem: 5\n');
    expect(error.message).toContain('config.yaml: quiet: got "yes"; expected true or false');
    expect(error.message).toContain('config.yaml: system: got 5; expected a mapping of keys');
  });

  it('bad enum', async () => {
    const error = await errorFor('config.yaml', 'failOn: fatal\n');
    expect(error.message).toContain('config.yaml: failOn: got "fatal"; expected one of "critical", "warning", "info", "none"');
  });

  it('bad format name in formats', async () => {
    const error = await errorFor('config.yaml', 'formats: [json, xml]\n');
    expect(error.message).toContain('config.yaml: formats[1]: got "xml"; expected one of "json", "text"');
  });

  it.each([
    ['"5 parsecs"', 'got "5 parsecs"; expected a duration such as 5, "5s", "500ms" or "1m"'],
    ['-1', 'got -1; expected a duration between 0.2 s and 300 s'],
    ['0.01', 'got 0.01; expected a duration between 0.2 s and 300 s'],
    ['10000', 'got 10000; expected a duration between 0.2 s and 300 s'],
    ['"1h"', 'got "1h"; expected a duration between 0.2 s and 300 s'],
    ['true', 'got true; expected a duration such as 5, "5s", "500ms" or "1m"'],
  ])('bad duration %s', async (value, expected) => {
    const error = await errorFor('config.yaml', `system:\n  sampleSeconds: ${value}\n`);
    expect(error.message).toContain(`config.yaml: system.sampleSeconds: ${expected}`);
  });

  it('a negative threshold', async () => {
    const error = await errorFor('config.yaml', 'thresholds:\n  cpu:\n    warning: -5\n');
    expect(error.message).toContain('config.yaml: thresholds.cpu.warning: got -5; expected a number >= 0');
  });
});

describe('flags are validated by the same schema and named in the message', () => {
  it('--sample-seconds given as a string', async () => {
    const error = await errorFor('none', undefined, { sampleSeconds: 'abc' });
    expect(error.message).toContain('  - --sample-seconds: got "abc"; expected a duration such as 5, "5s", "500ms" or "1m"');
  });

  it('--fail-on and --format', async () => {
    const error = await errorFor('none', undefined, { failOn: 'fatal', formats: 'json,xml' });
    expect(error.message).toContain('--fail-on: got "fatal"; expected one of "critical", "warning", "info", "none"');
    expect(error.message).toContain('--format: got "xml"; expected one of "json", "text"');
  });

  it('a bad file value is reported even when a flag overrides it', async () => {
    const error = await errorFor('config.yaml', 'failOn: fatal\n', { failOn: 'warning' });
    expect(error.message).toContain('config.yaml: failOn: got "fatal"');
  });
});

describe('threshold order within an entry', () => {
  it('warning >= critical names both keys', async () => {
    const error = await errorFor('config.yaml', 'thresholds:\n  cpu:\n    warning: 95\n    critical: 90\n');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.kind).toBe('conflict');
    expect(error.message).toContain('config.yaml: thresholds.cpu.warning: got 95; expected less than thresholds.cpu.critical (90)');
  });

  it('equal values are a conflict too', async () => {
    const error = await errorFor('config.yaml', 'thresholds:\n  disk:\n    warning: 95\n');
    expect(error.message).toContain('thresholds.disk.warning: got 95; expected less than thresholds.disk.critical (95, the default)');
  });

  it('an override below a default lower level', async () => {
    const error = await errorFor('config.yaml', 'thresholds:\n  cpu:\n    critical: 50\n');
    expect(error.message).toContain('thresholds.cpu.critical: got 50; expected greater than thresholds.cpu.warning (80, the default)');
  });

  it('info < warning and normal < next level where present', async () => {
    const error = await errorFor('config.yaml', 'thresholds:\n  memory:\n    info: 96\n  loadPerCore:\n    normal: 1.5\n');
    expect(error.message).toContain('thresholds.memory.info: got 96; expected less than thresholds.memory.warning (95, the default)');
    expect(error.message).toContain('thresholds.loadPerCore.normal: got 1.5; expected less than thresholds.loadPerCore.warning (1.5, the default)');
  });

  it('rising values pass', async () => {
    const config = await loadConfig({
      configPath: 'c.yaml',
      env: {},
      flags: {},
      readFile: async () => 'thresholds:\n  cpu:\n    normal: 50\n    warning: 70\n    critical: 90\n',
    });
    expect(config.thresholds.cpu).toEqual({ normal: 50, warning: 70, critical: 90 });
  });
});

describe('secrets never appear in messages', () => {
  it('the value of a key whose name holds password/secret/token is not echoed', async () => {
    const error = await errorFor('config.yaml', 'system:\n  sampleSeconds: 5\napiToken: tok-abc123\n');
    expect(error.message).not.toContain('tok-abc123');
    expect(renderGivenValue('hunter2', ['database', 'password'])).toBe('<redacted>');
    expect(renderGivenValue('s3cr3t', ['clientSecret'])).toBe('<redacted>');
  });

  it('a password-bearing URL given where it does not belong is shown without its credentials', async () => {
    const error = await errorFor('config.yaml', 'outputDir: 5\nfailOn: "postgres://app:hunter2@db.example:5432/app"\n');
    expect(error.message).toContain('failOn: got "postgres://***@db.example:5432/app"');
    expect(error.message).not.toContain('hunter2');
  });

  it('a secret inside a YAML syntax error line is not quoted', async () => {
    const error = await errorFor('config.yaml', 'password: "hunter2\n');
    expect(error.problems[0]?.kind).toBe('syntax');
    expect(error.message).not.toContain('hunter2');
  });

  it('redactUrlCredentials handles user:password, a bare password and several URLs', () => {
    expect(redactUrlCredentials('redis://:pw@cache:6379 and https://u:p@api/x')).toBe('redis://***@cache:6379 and https://***@api/x');
    expect(redactUrlCredentials('https://api.example/login')).toBe('https://api.example/login');
  });
});

describe('cross-references', () => {
  it('diagnosis.endpoints names an endpoint api.endpoints does not have: the key, the name and the names there are', async () => {
    const error = await errorFor('config.yaml', 'api:\n  baseUrl: http://127.0.0.1:8000\n  endpoints:\n    - path: /health\n    - name: login\n      method: POST\n      path: /login\ndiagnosis:\n  endpoints: [login, "GET /helth"]\n');
    expect(error.message).toContain('config.yaml: diagnosis.endpoints[1]: got "GET /helth"; expected the name of one of api.endpoints: "GET /health", "login"');
    expect(error.problems).toHaveLength(1);
  });
});
