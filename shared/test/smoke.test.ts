import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { LeadToSheetClient } from '@leadtosheet/shared';
import { createGotTransport } from '@leadtosheet/shared/got-transport';

describe('smoke', () => {
  it('reads the site through got', async () => {
    const scope = nock('https://api.test').get('/api/v1/site').reply(200, { id: 's1', name: 'Acme', extra: 1 });
    const key = 'lts_abcdefghijklmnopqrstuv';
    const client = new LeadToSheetClient(createGotTransport({ key, baseUrl: 'https://api.test/api/v1' }), { key });
    await expect(client.getSite()).resolves.toMatchObject({ id: 's1', name: 'Acme', extra: 1 });
    scope.done();
  });
});
