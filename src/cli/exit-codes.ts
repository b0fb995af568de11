/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** The input was understood but fails: invalid flow, flow cannot complete. */
export const EXIT_FAILURE = 1;
/** Usage error or an I/O problem (file missing, not JSON, network). */
export const EXIT_USAGE = 2;
