/**
 * The forms dropdown (hidden): one page of forms per call, Zapier's "Load more" asks for
 * the next (bundle.meta.page counts from 0).
 */
import { MAX_PER_PAGE } from '@leadtosheet/shared';
import { formOutputFields, formSample } from '../outputs/form.js';
import { pollingTrigger } from './polling-trigger.js';

export default pollingTrigger({
  key: 'form_list',
  noun: 'Form',
  label: 'Form List',
  description: 'Lists your forms for the Form dropdowns.',
  hidden: true,
  canPaginate: true,
  outputFields: formOutputFields,
  sample: formSample,
  list: async (lts, bundle) => {
    const page = (bundle.meta?.page ?? 0) + 1;
    const { data, pagination } = await lts.listForms({ page, perPage: MAX_PER_PAGE });
    return page > pagination.total_pages ? [] : data;
  },
});
