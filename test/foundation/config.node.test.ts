import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ConfigError, parseConfig } from '../../src/config/config';

describe('configuration', () => {
  it('accepts an empty environment with local defaults', () => {
    const c = parseConfig({});
    expect(c.APP_ENV).toBe('development');
    expect(c.PORT).toBe(8787);
    expect(c.STRIPE_SECRET_KEY).toBeUndefined();
  });

  it('takes the local address from PORT unless APP_URL is given', () => {
    expect(parseConfig({ PORT: '8799' }).APP_URL).toBe('http://localhost:8799');
    expect(parseConfig({ PORT: '8799', APP_URL: 'https://quy.example' }).APP_URL).toBe('https://quy.example');
    expect(parseConfig({}).APP_URL).toBe('http://localhost:8787');
  });

  it('names every malformed variable', () => {
    try {
      parseConfig({ STRIPE_SECRET_KEY: 'pk_test_x', RESEND_API_KEY: 'nope', PORT: '99999', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const vars = (err as ConfigError).issues.map((i) => i.variable).sort();
      expect(vars).toEqual(['DATABASE_URL', 'PORT', 'RESEND_API_KEY', 'STRIPE_SECRET_KEY']);
    }
  });

  it('requires DATABASE_URL and https in production', () => {
    expect(() => parseConfig({ APP_ENV: 'production', APP_URL: 'http://x.example' })).toThrow(/DATABASE_URL[\s\S]*APP_URL/);
  });

  it('`npm start` fails fast with a malformed secret, naming the variable', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, STRIPE_WEBHOOK_SECRET: 'not-a-secret', DATA_DIR: '/nonexistent-never-created' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('STRIPE_WEBHOOK_SECRET');
    expect(r.stderr).toContain('whsec_');
  });
});
