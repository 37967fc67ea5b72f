/**
 * Runs in every jest worker: no request leaves this machine. Unit tests answer with nock;
 * end-to-end tests talk to real servers on loopback only. Every nock interceptor a test
 * set up must have been used by the end of that test.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import nock from 'nock';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => LOOPBACK.test(host));
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) {
    throw new Error(`nock interceptors set up but never called: ${pending.join(', ')}`);
  }
});

// Each test file has its own module registry, hence its own nock, but all files in a worker
// share Node's http module: hand it back, or this file's nock (net connect disabled, no
// interceptors left) keeps answering the next file's requests before that file's own nock.
afterAll(() => {
  nock.restore();
});
