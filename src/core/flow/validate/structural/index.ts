/**
 * Structural rules: unknown keys, types, enums, required properties, character
 * and count limits, version-gated components and properties (spec §1.9, §1.11).
 * @module
 */
import type { Rule } from '../context.js';
import { checkScreenData } from './check-screen-data.js';
import { checkScreens } from './check-screens.js';

/** Run in this order after the top-level checks. */
export const structuralRules: readonly Rule[] = [checkScreens, checkScreenData];
