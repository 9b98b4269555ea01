import { z } from 'zod';
import { ConfigError, loadConfig } from './config';

const Schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url(),
  KAFKA_BROKERS: z.string().min(1),
  PSEUDONYM_SECRET: z.string().min(32),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

describe('loadConfig', () => {
  it('returns the parsed config with defaults', () => {
    const config = loadConfig(Schema, {
      DATABASE_URL: 'postgres://localhost/db',
      KAFKA_BROKERS: 'localhost:9092',
      PSEUDONYM_SECRET: 's'.repeat(32),
    });
    expect(config).toEqual({
      PORT: 3000,
      DATABASE_URL: 'postgres://localhost/db',
      KAFKA_BROKERS: 'localhost:9092',
      PSEUDONYM_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'info',
    });
  });

  it('names every missing or invalid variable and prints no values', () => {
    const secret = 'too-short-secret-value';
    let error: unknown;
    try {
      loadConfig(Schema, { PORT: 'eighty', PSEUDONYM_SECRET: secret, LOG_LEVEL: 'chatty' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/DATABASE_URL is missing/);
    expect(message).toMatch(/KAFKA_BROKERS is missing/);
    expect(message).toMatch(/PORT is invalid/);
    expect(message).toMatch(/PSEUDONYM_SECRET is invalid/);
    expect(message).toMatch(/LOG_LEVEL is invalid/);
    expect((error as ConfigError).problems).toHaveLength(5);
    expect(message).not.toContain(secret);
    expect(message).not.toContain('eighty');
    expect(message).not.toContain('chatty');
  });
});
