/**
 * Every file of `shared/fixtures/sources/`, classified: a form definition
 * (mapped by its system's connector) or a named other response (listings,
 * CRM metadata, the second half of a Jotform definition). A file in neither
 * list is reported by {@link unclassifiedFixtures}, so a new fixture fails
 * the round-trip test until it is covered.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormModel } from '../../src/core/form/form-model.js';
import { findSource } from '../../src/sources/registry.js';
import type { UnmappedItem } from '../../src/sources/source-connector.js';

/** Where the shared source fixtures live. */
export const SOURCE_FIXTURES = '/work/shared/fixtures/sources';

/** One form definition: the system, the file (Jotform: the questions file; its properties file is paired). */
export interface DefinitionFixture {
  system: string;
  file: string;
  /** Jotform's properties response, read with the questions. */
  properties?: string;
}

/** The form definitions, per system. */
export const DEFINITIONS: readonly DefinitionFixture[] = [
  ...['form-appointment', 'form-kyc-onboarding', 'form-large-enterprise', 'form-newsletter', 'form-nps-feedback'].map((n) => ({ system: 'hubspot', file: `${n}.json` })),
  ...['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback'].map((n) => ({ system: 'google-forms', file: `${n}.json` })),
  ...['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback'].map((n) => ({ system: 'typeform', file: `${n}.json` })),
  ...['form-appointment', 'form-kyc-onboarding', 'form-large-survey', 'form-newsletter', 'form-nps-feedback'].map((n) => ({ system: 'tally', file: `${n}.json` })),
  ...['survey-appointment', 'survey-kyc-onboarding', 'survey-large', 'survey-newsletter', 'survey-nps-feedback'].map((n) => ({ system: 'formbricks', file: `${n}.json` })),
  ...['survey-appointment', 'survey-kyc-onboarding', 'survey-large', 'survey-newsletter', 'survey-nps-feedback'].map((n) => ({ system: 'surveymonkey', file: `${n}-details.json` })),
  { system: 'jotform', file: 'form-appointment-questions.json' },
  { system: 'jotform', file: 'form-kyc-onboarding-questions.json', properties: 'form-kyc-onboarding-properties.json' },
  { system: 'jotform', file: 'form-large-intake-questions.json' },
  { system: 'jotform', file: 'form-newsletter-questions.json' },
  { system: 'jotform', file: 'form-nps-feedback-questions.json' },
];

/** Fixture files that are not form definitions, and why. */
export const OTHER_FILES: Readonly<Record<string, string>> = {
  'hubspot/list-forms-page1.json': 'form listing (pagination)',
  'hubspot/list-forms-page2.json': 'form listing (pagination)',
  'hubspot/crm-properties-kyc-application.json': 'CRM properties for the HubSpot CRM sink',
  'hubspot/crm-schema-kyc-application.json': 'CRM object schema for the HubSpot CRM sink',
  'google-forms/drive-files-list-forms.json': 'Drive listing of forms',
  'typeform/list-forms.json': 'form listing',
  'tally/list-forms.json': 'form listing',
  'formbricks/list-surveys.json': 'survey listing',
  'surveymonkey/list-surveys.json': 'survey listing',
  'surveymonkey/list-collectors.json': 'collector listing (write-back target)',
  'jotform/user-forms.json': 'form listing',
  'jotform/form-kyc-onboarding-properties.json': 'properties half of the KYC definition (read with its questions)',
};

/** JSON files of the fixture folders that are neither a definition nor a listed other file. */
export function unclassifiedFixtures(): string[] {
  const known = new Set([...DEFINITIONS.map((d) => `${d.system}/${d.file}`), ...Object.keys(OTHER_FILES)]);
  const out: string[] = [];
  for (const system of readdirSync(SOURCE_FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const file of readdirSync(join(SOURCE_FIXTURES, system))) if (file.endsWith('.json') && !known.has(`${system}/${file}`)) out.push(`${system}/${file}`);
  }
  return out;
}

const readJson = (system: string, file: string): unknown => JSON.parse(readFileSync(join(SOURCE_FIXTURES, system, file), 'utf8'));

/** Map a definition fixture with its connector. */
export function mapFixture(d: DefinitionFixture): { model: FormModel; unmapped: readonly UnmappedItem[] } {
  const source = findSource(d.system);
  if (!source) throw new Error(`no connector for ${d.system}`);
  const questions = readJson(d.system, d.file);
  return source.mapDefinition(d.properties === undefined ? questions : { questions, properties: readJson(d.system, d.properties) });
}

/** A short name for test titles. */
export const fixtureName = (d: DefinitionFixture): string => `${d.system}/${d.file.replace(/\.json$/u, '')}`;
