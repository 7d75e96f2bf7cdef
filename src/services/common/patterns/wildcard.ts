// Wildcard patterns: `*` matches any run of characters; `\*` is a literal star and `\\` a
// literal backslash. Two stars in a row, or any other escape, are invalid, as in AWS.

export function compileWildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw new Error(`Invalid escape character at pos ${i}`);
      source += '\\' + next;
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') throw new Error(`Consecutive wildcard characters at pos ${i + 1}`);
      source += '[\\s\\S]*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'u');
}
