/**
 * Valid base documents the corpus cases mutate. Each must validate with no
 * finding at all (a test checks this), so a case's findings come from its
 * mutation alone.
 * @module
 */
import type { JsonObject } from '../../json.js';

/** Two screens, no endpoint: a Form with inputs, navigate with payload, complete. */
export function staticFlow(version = '7.3'): JsonObject {
  return {
    version,
    screens: [
      {
        id: 'DETAILS',
        title: 'Your details',
        layout: {
          type: 'SingleColumnLayout',
          children: [
            { type: 'TextHeading', text: 'Tell us about you' },
            {
              type: 'Form',
              name: 'details_form',
              children: [
                { type: 'TextInput', name: 'full_name', label: 'Full name', 'input-type': 'text', required: true },
                { type: 'TextInput', name: 'email', label: 'Email', 'input-type': 'email', required: true },
                {
                  type: 'RadioButtonsGroup',
                  name: 'plan',
                  label: 'Plan',
                  required: true,
                  'data-source': [
                    { id: 'basic', title: 'Basic' },
                    { id: 'pro', title: 'Pro' },
                  ],
                },
                {
                  type: 'Footer',
                  label: 'Continue',
                  'on-click-action': {
                    name: 'navigate',
                    next: { type: 'screen', name: 'CONFIRM' },
                    payload: { full_name: '${form.full_name}', email: '${form.email}', plan: '${form.plan}' },
                  },
                },
              ],
            },
          ],
        },
      },
      {
        id: 'CONFIRM',
        title: 'Confirm',
        terminal: true,
        success: true,
        data: {
          full_name: { type: 'string', __example__: 'Ann Lee' },
          email: { type: 'string', __example__: 'ann@example.com' },
          plan: { type: 'string', __example__: 'basic' },
        },
        layout: {
          type: 'SingleColumnLayout',
          children: [
            { type: 'TextBody', text: '${data.full_name}' },
            {
              type: 'Footer',
              label: 'Submit',
              'on-click-action': {
                name: 'complete',
                payload: { full_name: '${data.full_name}', email: '${data.email}', plan: '${data.plan}' },
              },
            },
          ],
        },
      },
    ],
  };
}

/** Two screens with an endpoint: data_api_version, routing_model, data_exchange, dynamic data. */
export function endpointFlow(version = '7.3'): JsonObject {
  return {
    version,
    data_api_version: '4.0',
    routing_model: { BOOKING: ['DONE'], DONE: [] },
    screens: [
      {
        id: 'BOOKING',
        title: 'Book',
        data: {
          slots: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } },
            __example__: [{ id: '1', title: '08:00' }],
          },
        },
        layout: {
          type: 'SingleColumnLayout',
          children: [
            {
              type: 'Form',
              name: 'booking_form',
              children: [
                { type: 'Dropdown', name: 'slot', label: 'Time', required: true, 'data-source': '${data.slots}' },
                {
                  type: 'Footer',
                  label: 'Book',
                  'on-click-action': { name: 'data_exchange', payload: { slot: '${form.slot}' } },
                },
              ],
            },
          ],
        },
      },
      {
        id: 'DONE',
        title: 'Booked',
        terminal: true,
        data: { slot: { type: 'string', __example__: '08:00' } },
        layout: {
          type: 'SingleColumnLayout',
          children: [
            { type: 'TextBody', text: '${data.slot}' },
            { type: 'Footer', label: 'Done', 'on-click-action': { name: 'complete', payload: { slot: '${data.slot}' } } },
          ],
        },
      },
    ],
  };
}
