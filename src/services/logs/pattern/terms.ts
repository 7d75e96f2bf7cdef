// Patterns for unstructured events: terms that must all appear (case-sensitive, anywhere in the
// message), "quoted phrases" for anything beyond letters, digits and underscores, -term to
// exclude, ?term to start an alternative (?ERROR ?WARN: either), and %regex% terms.

import { invalidParameter } from '../errors.js';
import { compileRegex, invalidPattern, readQuoted } from './values.js';

type Term = (message: string) => boolean;

interface Alternative {
  include: Term[];
  exclude: Term[];
}

const BARE_TERM = /^[\p{L}\p{N}_]+$/u;

export function compileTermsPattern(pattern: string): (message: string) => boolean {
  const alternatives: Alternative[] = [];
  let current: Alternative | undefined;
  let i = 0;
  while (i < pattern.length) {
    if (/\s/.test(pattern[i]!)) {
      i++;
      continue;
    }
    let prefix = '';
    if (pattern[i] === '?' || pattern[i] === '-') {
      prefix = pattern[i]!;
      i++;
      // AWS's own examples write the exclusion apart from its term: "ERROR" - "Exiting".
      while (prefix === '-' && i < pattern.length && /\s/.test(pattern[i]!)) i++;
      if (i >= pattern.length) throw invalidPattern();
    }
    let term: Term;
    if (pattern[i] === '"') {
      const { value, end } = readQuoted(pattern, i);
      term = (message) => message.includes(value);
      i = end;
    } else {
      let j = i;
      while (j < pattern.length && !/\s/.test(pattern[j]!)) j++;
      const word = pattern.slice(i, j);
      i = j;
      if (word.length >= 2 && word.startsWith('%') && word.endsWith('%')) {
        const regex = compileRegex(word.slice(1, -1));
        term = (message) => regex.test(message);
      } else if (BARE_TERM.test(word)) {
        term = (message) => message.includes(word);
      } else {
        throw invalidParameter(`Invalid character(s) in term '${word}'`);
      }
    }
    if (prefix === '?' || !current) {
      current = { include: [], exclude: [] };
      alternatives.push(current);
    }
    (prefix === '-' ? current.exclude : current.include).push(term);
  }
  return (message) => alternatives.some((a) => a.include.every((t) => t(message)) && !a.exclude.some((t) => t(message)));
}
