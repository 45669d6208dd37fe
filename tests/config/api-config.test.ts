import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { scrubSecrets, substituteVariables } from '../../src/config/env-template.js';

const fileWith = (text: string) => async () => text;

describe('API configuration', () => {
  it('PERF_API_URL sets api.baseUrl; --api-url overrides it', async () => {
    const fromEnv = await loadConfig({ env: { PERF_API_URL: 'http://127.0.0.1:8000' }, flags: {} });
    expect(fromEnv.api.baseUrl).toBe('http://127.0.0.1:8000');
    const fromFlag = await loadConfig({ env: { PERF_API_URL: 'http://127.0.0.1:8000' }, flags: { apiUrl: 'http://127.0.0.1:9000' } });
    expect(fromFlag.api.baseUrl).toBe('http://127.0.0.1:9000');
  });

  it('a bad --api-url names the flag', async () => {
    await expect(loadConfig({ env: {}, flags: { apiUrl: 'ftp://x' } })).rejects.toThrow(/--api-url: got "ftp:\/\/x"; expected an http/);
  });

  it('a bad PERF_API_URL names the variable', async () => {
    await expect(loadConfig({ env: { PERF_API_URL: 'nonsense' }, flags: {} })).rejects.toThrow(/PERF_API_URL/);
  });

  it('a missing ${VAR} in the login body is a config error naming it, never a value', async () => {
    const file = 'api:\n  baseUrl: http://127.0.0.1:8000\n  login:\n    body: { username: "${PERF_USER}", password: "${PERF_PASSWORD}" }\n';
    const error = await loadConfig({ configPath: 'perf.yaml', env: { PERF_USER: 'alice-secret-user' }, flags: {}, readFile: fileWith(file) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/perf\.yaml: api\.login\.body: environment variable PERF_PASSWORD is not set/);
    expect(message).not.toMatch(/PERF_USER is not set/);
    expect(message).not.toContain('alice-secret-user');
  });

  it('a missing ${VAR} in endpoint headers is named with its key path', async () => {
    const file = 'api:\n  baseUrl: http://127.0.0.1:8000\n  endpoints:\n    - path: /x\n      headers: { X-Api-Key: "${API_KEY}" }\n';
    await expect(loadConfig({ configPath: 'p.yaml', env: {}, flags: {}, readFile: fileWith(file) })).rejects.toThrow(/api\.endpoints\[0\]\.headers: environment variable API_KEY/);
  });

  it('substitution records the secrets, and scrubbing removes them', () => {
    const secrets = new Set<string>();
    const body = substituteVariables({ username: '${U}', password: 'p=${P}' }, { U: 'bob', P: 'hunter2' }, secrets);
    expect(body).toEqual({ username: 'bob', password: 'p=hunter2' });
    expect(scrubSecrets('login as bob with hunter2 failed', secrets)).toBe('login as <redacted> with <redacted> failed');
  });
});
