/**
 * Glob matching for the two user settings that take patterns: prompt file globs (paths) and
 * extra prompt variable names. Kept tiny on purpose: `**`, `*`, `?` and `{a,b}` cover what people write.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.+^$()|[\]\\]/g, '\\$&');
}

/** `prompts/**\/*.md` style path glob. A glob without a leading `/` may match at any folder depth,
 *  because the extractor sees absolute paths and does not know the workspace root. */
export function pathGlobToRegExp(glob: string): RegExp {
  let pattern = '';
  const normalized = glob.replace(/\\/g, '/');
  for (let i = 0; i < normalized.length; i++) {
    const char = normalized[i];
    if (char === '*' && normalized[i + 1] === '*') {
      const followedBySlash = normalized[i + 2] === '/';
      pattern += followedBySlash ? '(?:.*/)?' : '.*';
      i += followedBySlash ? 2 : 1;
    } else if (char === '*') {
      pattern += '[^/]*';
    } else if (char === '?') {
      pattern += '[^/]';
    } else if (char === '{') {
      const close = normalized.indexOf('}', i);
      if (close < 0) {
        pattern += '\\{';
        continue;
      }
      const options = normalized.slice(i + 1, close).split(',').map(escapeRegExp);
      pattern += `(?:${options.join('|')})`;
      i = close;
    } else {
      pattern += escapeRegExp(char);
    }
  }
  const anchored = normalized.startsWith('/') ? `^${pattern}$` : `(?:^|/)${pattern}$`;
  return new RegExp(anchored, 'i');
}

export function matchesAnyPathGlob(fileName: string, globs: readonly string[] | undefined): string | undefined {
  if (!globs?.length) return undefined;
  const path = fileName.replace(/\\/g, '/');
  return globs.find((glob) => pathGlobToRegExp(glob).test(path));
}

/** `*prompt*`, `*_msg`: `*` is the only wildcard, matching is case-insensitive and whole-name. */
export function nameGlobToRegExp(glob: string): RegExp {
  const pattern = glob.split('*').map(escapeRegExp).join('.*');
  return new RegExp(`^${pattern}$`, 'i');
}
