/**
 * Runs in every jest worker: no request leaves this machine. Unit tests answer with nock;
 * end-to-end tests talk to real servers on loopback only. Every nock interceptor a test
 * set up must have been used by the end of that test.
 */
import { afterEach, beforeAll } from '@jest/globals';
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
