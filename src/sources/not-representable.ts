/**
 * Why some source question kinds are not imported at all, in one wording
 * for every connector: a WhatsApp Flow has no input that captures them
 * faithfully, and an approximation would submit something the source form
 * never asks for (issue 5: every loss is reported with its reason).
 * @module
 */

/** Question kinds no connector imports. */
export type NotRepresentable = 'signature' | 'ranking';

const WHY: Record<NotRepresentable, string> = {
  signature: 'WhatsApp Flows have no drawing input, and an uploaded picture of a signature is not the signature the form asks for, so the question is left out',
  ranking: 'WhatsApp Flows have no input that orders options, and one list per rank would let the same option take two ranks, so the question is left out',
};

/**
 * The report text for a question that is not imported.
 * @example
 * notRepresentable('Tally block type \'SIGNATURE\'', 'signature', true)
 * // "Tally block type 'SIGNATURE' is not imported: WhatsApp Flows have no drawing input, … (it is required in the source form: the source may refuse the submission)."
 */
export function notRepresentable(what: string, kind: NotRepresentable, required: boolean): string {
  return `${what} is not imported: ${WHY[kind]}${required ? ' (it is required in the source form: the source may refuse the submission)' : ''}.`;
}
