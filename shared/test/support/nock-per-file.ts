/**
 * Imported first by every shared test file. Each jest test file loads its own nock (via
 * test/setup/block-network.ts), but the interception it installs is process-wide: a
 * previous file's nock would keep answering this file's requests (no interceptors left,
 * net connect disabled). So each file's nock takes over at the start and lets go at the
 * end. (The same three lines in test/setup/block-network.ts would cover every package.)
 */
import { afterAll, beforeAll } from '@jest/globals';
import nock from 'nock';

beforeAll(() => {
  if (!nock.isActive()) nock.activate();
});

afterAll(() => {
  nock.restore();
});
