import { flags } from './database';

describe('command-line helpers', () => {
  it('reads --name value pairs and bare switches', () => {
    expect(flags(['--municipality', 'GM0001', '--period', '2026-Q1', '--verbose', '--format', 'csv'])).toEqual({
      municipality: 'GM0001',
      period: '2026-Q1',
      verbose: 'true',
      format: 'csv',
    });
  });
});
