/**
 * The per-validation analysis shared by the reference and expression rules:
 * the scope of each screen, every value site and how each reads. Computed
 * once per validation run (keyed by the rule context, which `validateFlow`
 * creates per call), so a document edited between two runs is never read
 * from a stale cache.
 * @module
 */
import type { RuleContext } from '../context.js';
import { readSite, type SiteReading } from './expressions-reading.js';
import { flowIndex } from './flow-index.js';
import { scopeOf, type FlowScope } from './references-scope.js';
import { valueSitesOf, type ValueSite } from './references-sites.js';

/** What the reference and expression rules read. `readings[i]` is the reading of `sites[i]`. */
export interface FlowAnalysis {
  readonly scope: FlowScope;
  readonly sites: readonly ValueSite[];
  readonly readings: readonly SiteReading[];
}

const cache = new WeakMap<RuleContext, FlowAnalysis>();

/** The analysis of the document of `ctx`, computed on first use in this run. */
export function analysisOf(ctx: RuleContext): FlowAnalysis {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const { screens } = flowIndex(ctx);
  const sites = valueSitesOf(screens, ctx.version);
  const analysis: FlowAnalysis = {
    scope: scopeOf(screens),
    sites,
    readings: sites.map((site) => readSite(site, ctx.version)),
  };
  cache.set(ctx, analysis);
  return analysis;
}
