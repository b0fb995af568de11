/**
 * The semantic rules other than references and expressions, in run order
 * (spec §1.3, §1.5, §1.7–§1.10, §1.12).
 * @module
 */
import { FindingList, type Finding } from '../../finding.js';
import type { JsonObject } from '../../json.js';
import { parseVersion } from '../../version.js';
import type { Rule, RuleContext } from '../context.js';
import { checkActionPayloads } from './action-payloads.js';
import { checkDataExchangeEndpoint, checkUpdateData } from './action-requirements.js';
import { checkComponentLimits, checkNavigationLists } from './component-limits.js';
import { checkDatePickers } from './date-pickers.js';
import { checkFooters } from './footers.js';
import { checkFormPlacement } from './form-placement.js';
import { checkFormValues } from './form-values.js';
import { checkNavigateActions } from './navigate-actions.js';
import { checkRoutingModel } from './routing-model.js';
import { checkRefreshOnBack, checkScreenIds, checkSensitiveFields } from './screen-properties.js';
import { checkTerminalScreens } from './terminal-screens.js';

/** Screens first, then layout, then actions and routing, then component details. */
export const coreSemanticRules: readonly Rule[] = [
  checkScreenIds,
  checkTerminalScreens,
  checkFooters,
  checkFormPlacement,
  checkFormValues,
  checkRefreshOnBack,
  checkDataExchangeEndpoint,
  checkNavigateActions,
  checkActionPayloads,
  checkUpdateData,
  checkRoutingModel,
  checkComponentLimits,
  checkDatePickers,
  checkNavigationLists,
  checkSensitiveFields,
];

/**
 * Run only these rules on a document (no structural or reference rules), as
 * validateFlow would; for tests and tools that want this layer alone.
 * Undefined when the version cannot be read.
 */
export function runCoreSemanticRules(flow: JsonObject, versionOverride?: string): Finding[] | undefined {
  const version = parseVersion(versionOverride ?? flow.version);
  if (!version) return undefined;
  const findings = new FindingList();
  const ctx: RuleContext = { flow, version, hasEndpoint: flow.data_api_version !== undefined, findings };
  for (const rule of coreSemanticRules) rule(ctx);
  return findings.items;
}
