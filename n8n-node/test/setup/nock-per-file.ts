/**
 * Runs after test/setup/block-network.ts in this package's CommonJS jest. Each test file
 * loads its own copy of nock (an ES module required from CommonJS), but the request
 * interception it installs is process-wide: the first file's copy would keep answering
 * in every later file of the same worker. So each file's copy takes over at the start
 * and lets go at the end.
 */
import { afterAll, beforeAll } from '@jest/globals';
import nock from 'nock';

beforeAll(() => {
	if (!nock.isActive()) nock.activate();
});

afterAll(() => {
	nock.restore();
});
