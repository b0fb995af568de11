/**
 * `${VAR}` substitution in a parsed project file, so secrets (sink tokens,
 * webhook secrets) live in the environment, not in the file. `$${VAR}` keeps
 * a literal `${VAR}`; `${VAR:-default}` falls back to `default` when VAR is
 * unset or empty. A missing variable (without a default) is a problem naming the path and
 * the variable; its value is never echoed.
 * @module
 */

const PLACEHOLDER = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('') || '(top level)';
}

/**
 * A deep copy of `value` with every `${VAR}` in strings replaced from `env`.
 * Problems (unset variables) are appended to `problems`.
 * @example
 * interpolateEnv({ token: '${HUBSPOT_TOKEN}' }, process.env, problems)
 */
export function interpolateEnv(value: unknown, env: Readonly<Record<string, string | undefined>>, problems: string[], path: (string | number)[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, escaped: string, name: string, fallback: string | undefined) => {
      if (escaped === '$') return whole.slice(1);
      const found = Object.hasOwn(env, name) ? env[name] : undefined;
      if ((found === undefined || found === '') && fallback !== undefined) return fallback;
      if (found === undefined || found === '') {
        problems.push(`${pathText(path)}: environment variable ${name} is not set (the project file reads it with \${${name}}).`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, problems, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '__proto__') continue;
      out[k] = interpolateEnv(v, env, problems, [...path, k]);
    }
    return out;
  }
  return value;
}
