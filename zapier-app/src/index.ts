/** LeadToSheet for Zapier: the app definition, wiring auth, middleware and operations. */
import { createRequire } from 'node:module';
import zapier, { defineApp } from 'zapier-platform-core';
import authentication from './authentication.js';
import createLead from './creates/create-lead.js';
import updateForm from './creates/update-form.js';
import { befores } from './middleware.js';
import findForm from './searches/find-form.js';
import findSubmission from './searches/find-submission.js';
import formList from './triggers/form-list.js';
import newForm from './triggers/new-form.js';
import newSubmission from './triggers/new-submission.js';
import newSubmissionInstant from './triggers/new-submission-instant.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export default defineApp({
  version,
  platformVersion: zapier.version,
  authentication,
  beforeRequest: [...befores],
  triggers: {
    [newSubmission.key]: newSubmission,
    [newSubmissionInstant.key]: newSubmissionInstant,
    [newForm.key]: newForm,
    [formList.key]: formList,
  },
  creates: {
    [createLead.key]: createLead,
    [updateForm.key]: updateForm,
  },
  searches: {
    [findSubmission.key]: findSubmission,
    [findForm.key]: findForm,
  },
  searchOrCreates: {
    [findSubmission.key]: {
      key: findSubmission.key,
      display: { label: 'Find or Create Lead', description: 'Finds a lead by a value such as an email address, and creates it if there is none.' },
      search: findSubmission.key,
      create: createLead.key,
    },
  },
});
