/**
 * Hand-written FormModels for the compiler tests: every field type,
 * conditions and jumps, hidden fields, a 300-option choice, a long page,
 * several file uploads and long labels.
 * @module
 */
import { formModelSchema, type FormModel, type FormModelInput } from '../../src/core/form/form-model.js';

/** Parse a model input (throws on a broken fixture). */
export function model(input: FormModelInput): FormModel {
  return formModelSchema.parse(input);
}

const opts = (...labels: string[]) => labels.map((l, i) => ({ id: `o${i + 1}`, value: l.toUpperCase(), label: l }));

/** Every field type on three pages, with show/hide conditions, a jump and a hidden field. */
export const everyType = model({
  id: 'every-type', title: 'Every type', source: { system: 'file' },
  pages: [
    {
      id: 'p1', title: 'Basics', fields: [
        { id: 'intro', key: 'intro', type: 'statement', style: 'heading', label: 'Welcome' },
        { id: 'para', key: 'para', type: 'statement', style: 'paragraph', label: 'Please answer a few questions.' },
        { id: 'name', key: 'name', type: 'short_text', label: 'Name', required: true, validation: { maxLength: 40 } },
        { id: 'bio', key: 'bio', type: 'long_text', label: 'About you', validation: { maxLength: 500 } },
        { id: 'mail', key: 'email', type: 'email', label: 'E-mail', required: true },
        { id: 'tel', key: 'phone', type: 'phone', label: 'Phone' },
        { id: 'age', key: 'age', type: 'number', label: 'Age', validation: { min: 18, max: 120 } },
        { id: 'site', key: 'website', type: 'url', label: 'Website' },
        { id: 'kind', key: 'kind', type: 'single_choice', label: 'Kind', required: true, options: opts('Person', 'Company') },
        { id: 'company', key: 'company', type: 'short_text', label: 'Company', required: true, visibleWhen: { op: 'equals', field: 'kind', value: 'o2' } },
        { id: 'src', key: 'utm_source', type: 'hidden', default: 'whatsapp' },
      ],
      jumps: [{ when: { op: 'equals', field: 'kind', value: 'o1' }, to: 'p3' }],
    },
    {
      id: 'p2', title: 'Company details', fields: [
        { id: 'country', key: 'country', type: 'dropdown', label: 'Country', options: opts('France', 'Spain', 'Italy') },
        { id: 'tags', key: 'tags', type: 'multiple_choice', label: 'Interests', options: opts('Sales', 'Support', 'Marketing'), allowOther: true },
        { id: 'big', key: 'big', type: 'yes_no', label: 'More than 50 staff?' },
        { id: 'grid', key: 'grid', type: 'grid', label: 'Rate our services', options: opts('Bad', 'Good'), rows: [{ id: 'r1', key: 'speed', label: 'Speed' }, { id: 'r2', key: 'price', label: 'Price' }] },
      ],
    },
    {
      id: 'p3', title: 'Finish', fields: [
        { id: 'when', key: 'date', type: 'date', label: 'Start date', validation: { minDate: '2026-01-01', maxDate: '2027-12-31' } },
        { id: 'at', key: 'time', type: 'time', label: 'Time' },
        { id: 'dt', key: 'meeting', type: 'datetime', label: 'Meeting' },
        { id: 'stars', key: 'rating', type: 'rating', label: 'Rating', scale: { min: 1, max: 5 } },
        { id: 'nps', key: 'nps', type: 'nps', label: 'Recommend us?' },
        { id: 'scale', key: 'scale', type: 'scale', label: 'Scale', scale: { min: 1, max: 30 } },
        { id: 'why', key: 'why', type: 'long_text', label: 'Why so low?', visibleWhen: { op: 'lte', field: 'nps', value: 6 } },
        { id: 'cv', key: 'cv', type: 'file', label: 'Your CV', file: { kind: 'document', maxFiles: 1, mimeTypes: ['application/pdf', 'application/x-foo'] } },
        { id: 'ok', key: 'consent', type: 'consent', label: 'I agree to the terms', required: true },
      ],
    },
  ],
});

/** One choice with 300 options (served by the endpoint after a search) and a 30-option multiple choice. */
export const manyOptions = model({
  id: 'many', title: 'Many options',
  pages: [{
    id: 'p1', title: 'Pick', fields: [
      { id: 'city', key: 'city', type: 'dropdown', label: 'City', required: true, options: Array.from({ length: 300 }, (_, i) => ({ id: `c${i}`, value: `CITY-${i}`, label: `City number ${i}` })) },
      { id: 'langs', key: 'langs', type: 'multiple_choice', label: 'Languages', options: Array.from({ length: 30 }, (_, i) => ({ id: `l${i}`, value: `L${i}`, label: `Language ${i}` })) },
      { id: 'mid', key: 'mid', type: 'single_choice', label: 'Mid list', options: Array.from({ length: 120 }, (_, i) => ({ id: `m${i}`, value: `M${i}`, label: `Item ${i}` })) },
    ],
  }],
});

/** 25 fields on one page. */
export const longPage = model({
  id: 'long', title: 'Long page',
  pages: [{
    id: 'p1', title: 'Everything at once', fields: Array.from({ length: 25 }, (_, i) => ({
      id: `q${i}`, key: `question_${i}`, type: i % 3 === 0 ? 'single_choice' as const : 'short_text' as const,
      label: `Question number ${i} with a rather long label text`, help: 'Some help for this question that is a little longer than eighty characters in total, really.',
      required: i % 2 === 0, ...(i % 3 === 0 ? { options: opts('A', 'B', 'C') } : {}),
    })),
  }],
});

/** Three file uploads on one page (more than one file question: sent through the endpoint). */
export const threeFiles = model({
  id: 'files', title: 'Documents',
  pages: [{
    id: 'p1', title: 'Upload', fields: [
      { id: 'id_front', key: 'id_front', type: 'file', label: 'ID front', required: true, file: { kind: 'image', maxFiles: 1 } },
      { id: 'id_back', key: 'id_back', type: 'file', label: 'ID back', file: { kind: 'image', maxFiles: 1 } },
      { id: 'proof', key: 'proof', type: 'file', label: 'Proof of address', required: true, file: { kind: 'document', maxFiles: 3, mimeTypes: ['application/pdf'] } },
      { id: 'note', key: 'note', type: 'short_text', label: 'Note' },
    ],
  }],
});

const long = 'This is a very long question label that goes far beyond any limit WhatsApp puts on labels of inputs, lists and headings, and keeps going for a while';

/** Long labels, long options, long page title and consent text. */
export const longLabels = model({
  id: 'long-labels', title: 'Long labels',
  pages: [{
    id: 'p1', title: `${long} (page title)`, description: long, fields: [
      { id: 'a', key: 'a', type: 'short_text', label: long, required: true },
      { id: 'b', key: 'b', type: 'single_choice', label: long, options: [{ id: 'x', value: 'x', label: long, description: long.repeat(3) }, { id: 'y', value: 'y', label: 'Short' }] },
      { id: 'c', key: 'c', type: 'consent', label: long, required: true },
      { id: 'd', key: 'd', type: 'date', label: long },
    ],
  }],
});

/** Branching: a choice leading to three sections (Switch), an includes condition (endpoint) and an end jump. */
export const branching = model({
  id: 'branching', title: 'Branching',
  pages: [
    { id: 'start', title: 'Start', fields: [{ id: 'path', key: 'path', type: 'single_choice', label: 'Which way?', options: opts('Sales', 'Support', 'Nothing') }],
      jumps: [{ when: { op: 'equals', field: 'path', value: 'o1' }, to: 'sales' }, { when: { op: 'equals', field: 'path', value: 'o2' }, to: 'support' }, { when: { op: 'equals', field: 'path', value: 'o3' }, to: 'end' }] },
    { id: 'sales', title: 'Sales', fields: [{ id: 'budget', key: 'budget', type: 'number', label: 'Budget', required: true }, { id: 'products', key: 'products', type: 'multiple_choice', label: 'Products', required: true, options: opts('Alpha', 'Beta') }],
      jumps: [{ when: { op: 'includes', field: 'products', value: 'o2' }, to: 'beta' }, { to: 'end' }] },
    { id: 'support', title: 'Support', fields: [{ id: 'issue', key: 'issue', type: 'long_text', label: 'Your issue', required: true }], jumps: [{ to: 'end' }] },
    { id: 'beta', title: 'Beta', fields: [{ id: 'beta_q', key: 'beta_q', type: 'short_text', label: 'Beta feedback', required: true }], jumps: [{ to: 'start' }] },
  ],
});
