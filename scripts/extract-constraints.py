#!/usr/bin/env python3
"""Writes src/protocols/constraints/<model uid>.json: the length, range, enum and pattern
constraints AWS's full models carry and the aws-sdk v2 minified models drop.

Usage: python3 scripts/extract-constraints.py [--no-verify]

Reads botocore's service models (pip install botocore; any recent version) for every service in
src/services/registry.ts except s3, walks each operation's input shape beside the minified
model's by member name, and keeps only shapes that constrain something (or lead to one that
does). Patterns are written in Java syntax, as AWS prints them, with a JavaScript translation
beside them when it differs. A pattern whose translation is not certain to mean the same keeps
"js": false (it is printed where AWS lists an item's constraints, never enforced) and is listed
under "skippedPatterns" with the reason, so it can never reject valid input. Every translation is
run against Java's own Pattern on probe strings generated from the pattern, and dropped if the two
ever disagree or if it backtracks badly on long inputs; that needs java, javac and node on the
PATH. --no-verify skips it and marks the files unverified (test/protocols refuses such files).
"""

import base64
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import re._parser as sre_parse  # Python 3.11+
    import re._constants as sre_constants
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore
    import sre_constants  # type: ignore

import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'src', 'protocols', 'constraints')
REGISTRY = os.path.join(ROOT, 'src', 'services', 'registry.ts')
AWS_SDK_APIS = os.path.join(ROOT, 'node_modules', 'aws-sdk', 'apis')
BOTOCORE_DATA = os.path.join(os.path.dirname(botocore.__file__), 'data')

# Services that do their own validation and answer differently from the generic checks.
EXCLUDED_SERVICES = {'s3'}

# Where a service departs from the plain Coral behaviour, as observed in its real answers.
SERVICE_OPTIONS = {
    # IAM prints no values in its validation messages ("Value at 'roleName' failed to ...", seen
    # since 2024), lists "Member must not be null" among a list item's constraints, and answers
    # its own message for names and paths that break their pattern ("The specified value for
    # roleName is invalid. It must contain only alphanumeric characters and/or the following:
    # +=,.@_-"), which the IAM service produces itself.
    'iam': {
        'options': {'redactValues': True, 'memberNotNull': True},
        'skipPatterns': [r'[\w+=,.@-]+', r'[\w+=,.@-]*', r'(\u002F)|(\u002F[\u0021-\u007E]+\u002F)', r'\u002F[\u0021-\u007F]*'],
    },
    # Lambda lists "Member must not be null" among a collection member's constraints:
    # "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]".
    'lambda': {'options': {'memberNotNull': True}},
    # API Gateway names the input structure at the head of every path:
    # "Value 'x' at 'createRestApiInput.apiKeySource' failed to satisfy constraint: ...".
    'apigateway': {'options': {'inputPrefix': True}},
    # SQS answers unknown attribute names with its own InvalidAttributeName error, not a
    # model enum failure, so its enums are left to the service.
    'sqs': {'noEnums': True},
}


def load_json(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return json.load(f)


def registry_services():
    text = open(REGISTRY, encoding='utf-8').read()
    return re.findall(r"name: '([^']+)', modelUid: '([^']+)'", text)


def botocore_model_for(min_meta):
    """The botocore model for a minified model: same uid, or same endpoint prefix and version."""
    best = None
    for service in sorted(os.listdir(BOTOCORE_DATA)):
        version_dir = os.path.join(BOTOCORE_DATA, service, min_meta['apiVersion'])
        if not os.path.isdir(version_dir):
            continue
        for name in ('service-2.json.gz', 'service-2.json'):
            path = os.path.join(version_dir, name)
            if not os.path.exists(path):
                continue
            model = load_json(path)
            meta = model['metadata']
            if meta.get('uid') == min_meta.get('uid'):
                return model, os.path.relpath(path, BOTOCORE_DATA)
            if meta.get('endpointPrefix') == min_meta.get('endpointPrefix') and best is None:
                best = (model, os.path.relpath(path, BOTOCORE_DATA))
    if best is None:
        raise SystemExit(f"no botocore model for {min_meta.get('uid')}")
    return best


# ---------------------------------------------------------------------------------------------
# Java regular expressions to JavaScript ('u' flag). Returns (source, flags) or raises Untranslatable.

class Untranslatable(Exception):
    pass


POSIX_CLASSES = {
    'Lower': 'a-z', 'Upper': 'A-Z', 'ASCII': '\\x00-\\x7F', 'Alpha': 'A-Za-z', 'Digit': '0-9',
    'Alnum': 'A-Za-z0-9', 'Punct': '!-\\/:-@\\[-`{-~', 'Graph': '!-~', 'Print': ' -~', 'Blank': ' \\t',
    'Cntrl': '\\x00-\\x1F\\x7F', 'XDigit': '0-9a-fA-F', 'Space': ' \\t\\n\\x0B\\f\\r',
}
UNICODE_CATEGORIES = {
    'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd',
    'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'S', 'Sm', 'Sc', 'Sk', 'So', 'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Cs', 'Co', 'Cn',
}
JAVA_SPACE = ' \\t\\n\\x0B\\f\\r'
JS_SYNTAX = set('^$\\.*+?()[]{}|/')
CLASS_SPECIAL = set('\\]^-[')


def class_char(c):
    return '\\' + c if c in CLASS_SPECIAL else c


def translate(pattern):
    src = pattern
    flags = ''
    if src.startswith('(?i)'):
        flags, src = 'i', src[4:]
    out = []
    i = 0
    n = len(src)

    def property_class(i):
        """Parses \\p{X} / \\P{X} / \\pX starting at src[i] == 'p' or 'P'; returns (negated, kind, body, next)."""
        negated = src[i] == 'P'
        if i + 1 < n and src[i + 1] == '{':
            end = src.find('}', i + 2)
            if end < 0:
                raise Untranslatable('unclosed \\p{')
            name, nxt = src[i + 2:end], end + 1
        elif i + 1 < n:
            name, nxt = src[i + 1], i + 2
        else:
            raise Untranslatable('bad \\p')
        if name.startswith('Is') and name[2:] in UNICODE_CATEGORIES:
            name = name[2:]
        if name in POSIX_CLASSES:
            return negated, 'posix', POSIX_CLASSES[name], nxt
        if name in UNICODE_CATEGORIES:
            return negated, 'unicode', name, nxt
        raise Untranslatable(f'property {name}')

    def simple_escape(i, in_class):
        """An escape that stands for one character; returns (js text, next index) or None."""
        c = src[i]
        if c == 'u':
            h = src[i + 1:i + 5]
            if not re.fullmatch(r'[0-9a-fA-F]{4}', h):
                raise Untranslatable('bad \\u')
            return '\\u' + h, i + 5
        if c == 'x':
            if i + 1 < n and src[i + 1] == '{':
                end = src.find('}', i)
                return '\\u{' + src[i + 2:end] + '}', end + 1
            h = src[i + 1:i + 3]
            if not re.fullmatch(r'[0-9a-fA-F]{2}', h):
                raise Untranslatable('bad \\x')
            return '\\x' + h, i + 3
        if c in 'tnrf':
            return '\\' + c, i + 1
        if c == 'a':
            return '\\x07', i + 1
        if c == 'e':
            return '\\x1B', i + 1
        if not c.isalnum():
            if in_class:
                return class_char(c), i + 1
            return ('\\' + c if c in JS_SYNTAX else c), i + 1
        return None

    while i < n:
        c = src[i]
        if c == '\\':
            i += 1
            if i >= n:
                raise Untranslatable('trailing backslash')
            e = src[i]
            if e in 'dDwW':
                out.append('\\' + e)
                i += 1
            elif e == 's':
                out.append('[' + JAVA_SPACE + ']')
                i += 1
            elif e == 'S':
                out.append('[^' + JAVA_SPACE + ']')
                i += 1
            elif e in 'pP':
                negated, kind, body, i = property_class(i)
                if kind == 'unicode':
                    out.append(('\\P' if negated else '\\p') + '{' + body + '}')
                else:
                    out.append(('[^' if negated else '[') + body + ']')
            else:
                simple = simple_escape(i, False)
                if simple is None:
                    raise Untranslatable(f'escape \\{e}')
                text, i = simple
                out.append(text)
        elif c == '[':
            text, i = translate_class(src, i + 1, property_class, simple_escape)
            out.append(text)
        elif c == '.':
            out.append('[^\\n\\r\\u0085\\u2028\\u2029]')
            i += 1
        elif c == '(':
            if src.startswith('(?', i):
                for opener in ('(?:', '(?=', '(?!', '(?<=', '(?<!'):
                    if src.startswith(opener, i):
                        out.append(opener)
                        i += len(opener)
                        break
                else:
                    m = re.match(r'\(\?<([A-Za-z][A-Za-z0-9]*)>', src[i:])
                    if not m:
                        raise Untranslatable('group construct ' + src[i:i + 4])
                    out.append(m.group(0))
                    i += len(m.group(0))
            else:
                out.append('(')
                i += 1
        elif c in '*+?':
            out.append(c)
            i += 1
            if i < n and src[i] == '+':
                raise Untranslatable('possessive quantifier')
        elif c == '{':
            m = re.match(r'\{(\d+)(,(\d*))?\}', src[i:])
            if not m:
                raise Untranslatable('bad {')
            out.append(m.group(0))
            i += len(m.group(0))
            if i < n and src[i] == '+':
                raise Untranslatable('possessive quantifier')
        elif c in ')|^$':
            out.append(c)
            i += 1
        elif c in ']}':
            out.append('\\' + c)
            i += 1
        else:
            out.append(c)
            i += 1
    return ''.join(out), flags


def translate_class(src, i, property_class, simple_escape):
    """Translates a Java character class whose '[' is at src[i-1]; returns (js, next index)."""
    n = len(src)
    out = ['[']
    if i < n and src[i] == '^':
        out.append('^')
        i += 1
    if i < n and src[i] == ']':
        raise Untranslatable('class starting with ]')
    # Items: ('char', js) single characters (may be range endpoints), ('dash', js) an unescaped
    # '-' (a range operator between two chars, else literal), or ('set', js).
    items = []
    has_s = has_S = False
    while True:
        if i >= n:
            raise Untranslatable('unclosed class')
        c = src[i]
        if c == ']':
            i += 1
            break
        if c == '[':
            raise Untranslatable('nested class')
        if c == '&' and src.startswith('&&', i):
            raise Untranslatable('class intersection')
        if c == '\\':
            e = src[i + 1] if i + 1 < n else ''
            if e in 'dDwW':
                items.append(('set', '\\' + e))
                i += 2
            elif e == 's':
                has_s = True
                items.append(('set', JAVA_SPACE))
                i += 2
            elif e == 'S':
                has_S = True
                items.append(('set', '\\S'))
                i += 2
            elif e in ('p', 'P'):
                negated, kind, body, i = property_class(i + 1)
                if kind == 'unicode':
                    items.append(('set', ('\\P' if negated else '\\p') + '{' + body + '}'))
                elif negated:
                    raise Untranslatable('negated POSIX class inside a class')
                else:
                    items.append(('set', body))
            else:
                simple = simple_escape(i + 1, True)
                if simple is None:
                    raise Untranslatable(f'escape \\{e} in class')
                text, i = simple
                items.append(('char', text))
        elif c == '-':
            items.append(('dash', '\\-'))
            i += 1
        else:
            items.append(('char', class_char(c)))
            i += 1
    if has_S and not has_s:
        raise Untranslatable('\\S inside a class')
    if has_S:
        # [\s\S] is every character whatever \s means.
        items = [('set', '\\s\\S') if kind == 'set' and text == '\\S' else (kind, text) for kind, text in items
                 if not (kind == 'set' and text == JAVA_SPACE)]
    # Ranges: char '-' char, where '-' is a literal '-' item between two chars.
    k = 0
    while k < len(items):
        kind, text = items[k]
        if kind == 'char' and k + 2 < len(items) and items[k + 1][0] == 'dash' and items[k + 2][0] == 'char':
            out.append(text + '-' + items[k + 2][1])
            k += 3
        else:
            out.append(text)
            k += 1
    out.append(']')
    return ''.join(out), i


# ---------------------------------------------------------------------------------------------
# Probe strings for comparing a translation with Java: values generated from the pattern itself
# (so most should match), their mutations, and a fixed set of awkward characters.

COMMON_PROBES = [
    '', ' ', 'a', 'A', '0', '_', '-', '.', '/', ':', '@', '=', '+', ',', '*', '$', '#', '!', '?', '%', '~', '|', '\\',
    'abc', 'ABC', 'a b', 'a/b', '/a/b/', '/', '//', 'a.b', 'a-b_c', 'a:b', 'a@b.c', 'a=b+c', 'a b ', ' a', 'a\n', '\na',
    'a\tb', 'a\rb', '\u0085', '\u00a0', '\u2028', '\u2029', '\u000b', '\u000c', '\x00', '\x1f', '\x7f', 'é', 'ß', 'Ω',
    '中文', 'ﬀ', 'ſ', 'K', '😀', 'a😀', '\ud800', '٣', '①', 'Ⅷ', '\u200b', '\u3000', '\ufeff', '\uffff',
    '123456789012', '12345678901', 'all', 'ALL', 'All', '$LATEST', '$LATEST.PUBLISHED', 'v1', 'v1.2', 'x' * 70,
    'arn:aws:iam::123456789012:role/r', 'arn:aws:lambda:us-east-1:123456789012:function:f', 'us-east-1',
    '12345678-1234-1234-1234-123456789012', 'Custom:abc', 'AWS:abc', 'tag:Name', 'http://a.b/c', 'https://a.com',
    's3://bucket/key', 'i-0123456789abcdef0', 'mi-0123456789abcdef0', 'o-abcdefghij', 'p-abcdefgh',
]

PROBE_LETTERS = {
    'L': 'aZéΩ中', 'N': '07٣①', 'Z': ' \u00a0\u3000', 'P': '.!-', 'S': '$+', 'M': '\u0301', 'C': '\x01',
}


def generation_pattern(pattern):
    """A Python-re approximation of a Java pattern, only for generating candidate probes."""
    p = pattern
    if p.startswith('(?i)'):
        p = p[4:]
    for name, chars in PROBE_LETTERS.items():
        p = p.replace('\\p{' + name + '}', ''.join(chars))
    p = re.sub(r'\\p\{[A-Za-z]+\}', 'a', p)
    p = re.sub(r'\\u([0-9a-fA-F]{4})', lambda m: '\\u' + m.group(1), p)
    return p


def generate(node, rnd, depth=0):
    out = []
    for op, av in node:
        if op == sre_constants.LITERAL:
            out.append(chr(av))
        elif op == sre_constants.NOT_LITERAL:
            out.append(rnd.choice([c for c in 'aZ0_-. ' if ord(c) != av]))
        elif op == sre_constants.ANY:
            out.append(rnd.choice('aZ0 .-/é'))
        elif op == sre_constants.IN:
            out.append(pick_in(av, rnd))
        elif op == sre_constants.BRANCH:
            out.append(generate(rnd.choice(av[1]), rnd, depth + 1))
        elif op == sre_constants.SUBPATTERN:
            out.append(generate(av[-1], rnd, depth + 1))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            lo, hi, sub = av
            hi = min(hi, lo + 4) if hi != sre_constants.MAXREPEAT else lo + rnd.choice([0, 1, 2, 5, 12])
            for _ in range(rnd.randint(lo, max(lo, hi)) if depth < 6 else lo):
                out.append(generate(sub, rnd, depth + 1))
        elif op == sre_constants.GROUPREF:
            pass
    return ''.join(out)


def pick_in(items, rnd):
    negate = any(op == sre_constants.NEGATE for op, _ in items)
    choices = []
    for op, av in items:
        if op == sre_constants.LITERAL:
            choices.append(chr(av))
        elif op == sre_constants.RANGE:
            lo, hi = av
            choices += [chr(lo), chr(hi), chr(rnd.randint(lo, hi))]
        elif op == sre_constants.CATEGORY:
            name = str(av)
            choices += list({'CATEGORY_DIGIT': '09', 'CATEGORY_SPACE': ' \t', 'CATEGORY_WORD': 'aZ_9'}.get(name.split('.')[-1], 'a'))
    if negate:
        return rnd.choice([c for c in 'aZ0_-. /é:' if c not in choices] or ['~'])
    return rnd.choice(choices or ['a'])


def probes_for(pattern, seed):
    rnd = random.Random(seed)
    found = set(COMMON_PROBES)
    try:
        parsed = sre_parse.parse(generation_pattern(pattern))
        for _ in range(60):
            s = generate(list(parsed), rnd)
            found.add(s)
            if s:
                k = rnd.randrange(len(s))
                found.add(s[:k] + s[k + 1:])
                found.add(s[:k] + rnd.choice(['/', ' ', 'é', '😀', '-', '.', '\n', 'A', '0', '\u0085']) + s[k:])
                found.add(s.upper())
                found.add(s + s)
    except Exception:  # a pattern Python cannot parse still gets the common probes
        pass
    return sorted(found)


JAVA_CHECKER = r'''
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class PatternCheck {
  /** A string that gives up when a match runs past its deadline (backtracking patterns). */
  static final class Deadline implements CharSequence {
    final String s; final long end; int calls;
    Deadline(String s, long end) { this.s = s; this.end = end; }
    public char charAt(int i) {
      if (++calls % 4096 == 0 && System.nanoTime() > end) throw new IllegalStateException("timeout");
      return s.charAt(i);
    }
    public int length() { return s.length(); }
    public CharSequence subSequence(int a, int b) { return new Deadline(s.substring(a, b), end); }
    public String toString() { return s; }
  }

  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder();
    Pattern current = null;
    String state = "";  // "" while fine, else E (cannot compile) or T (too slow)
    long end = 0;
    for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      String text = new String(Base64.getDecoder().decode(line.substring(2)), StandardCharsets.UTF_8);
      if (line.charAt(0) == 'P') {
        if (current != null || !state.isEmpty()) out.append(state.isEmpty() ? "" : state).append('\n');
        state = "";
        end = System.nanoTime() + 2_000_000_000L;
        try { current = Pattern.compile(text); } catch (PatternSyntaxException e) { current = null; state = "E"; }
      } else if (current != null && state.isEmpty()) {
        try {
          out.append(current.matcher(new Deadline(text, end)).matches() ? '1' : '0');
        } catch (IllegalStateException e) {
          state = "T";
        }
      }
    }
    out.append(state);
    Files.write(Paths.get(args[1]), out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
'''

# One worker per pattern, ended if it runs too long: a backtracking pattern cannot be stopped
# from inside a match.
NODE_CHECKER = r'''
const fs = require('node:fs');
const { Worker } = require('node:worker_threads');
const [input, output] = process.argv.slice(2);

const WORKER = `(() => {
const { workerData, parentPort } = require('node:worker_threads');
const { js, flags, limit, probes } = workerData;
let re;
try { re = new RegExp('^(?:' + js + ')$', 'u' + flags); } catch { parentPort.postMessage('E'); return; }
let row = '';
const matched = [];
for (const p of probes) { const ok = re.test(p); if (ok) matched.push(p); row += ok ? '1' : '0'; }
// The fastest of three runs, so a pause for compilation or collection is not taken for backtracking.
const elapsed = (s) => {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = process.hrtime.bigint();
    re.test(s);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
    if (best < 1) break;
  }
  return best;
};
// Long inputs built from values that match, with an ending that may not: a pattern that
// backtracks on them would let one request stall the server. Sizes grow, and each has a budget.
const seeds = ['a', ' ', '0', 'a-', '/a', 'a.', 'a ', ...matched.filter((s) => s.length > 0).slice(0, 12)];
const sizes = [[64, 5], [512, 10], [4096, 25], [20000, 50]].filter(([size]) => size < limit);
for (const [size, budget] of [...sizes, [limit, limit <= 512 ? 10 : limit <= 4096 ? 25 : 50]]) {
  for (const seed of seeds) {
    for (const tail of ['!', '\\n', ' ', '', '\\u0000', '-', '.']) {
      const long = seed.repeat(Math.ceil(size / seed.length)).slice(0, size) + tail;
      if (elapsed(long) > budget) { parentPort.postMessage('S'); return; }
    }
  }
}
parentPort.postMessage(row);
})();
`;

const patterns = [];
for (const line of fs.readFileSync(input, 'utf8').split('\n').filter(Boolean)) {
  const text = Buffer.from(line.slice(2), 'base64').toString('utf8');
  if (line[0] === 'P') patterns.push({ ...JSON.parse(text), probes: [] });
  else patterns[patterns.length - 1].probes.push(text);
}

function run(pattern) {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, { eval: true, workerData: pattern });
    const timer = setTimeout(() => { worker.terminate(); resolve('S'); }, 5000);
    worker.once('message', (m) => { clearTimeout(timer); worker.terminate(); resolve(m); });
    worker.once('error', (e) => { clearTimeout(timer); console.error(String(e)); resolve('E'); });
  });
}

(async () => {
  const results = new Array(patterns.length);
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < patterns.length) { const i = next++; results[i] = await run(patterns[i]); }
  }));
  fs.writeFileSync(output, results.join('\n'));
})();
'''


def verify_translations(entries):
    """entries: list of (pattern, js, flags, longest input). Returns {pattern: reason} for those that fail."""
    java, javac, node = shutil.which('java'), shutil.which('javac'), shutil.which('node')
    if not (java and javac and node):
        raise SystemExit('verification needs java, javac and node on the PATH (or pass --no-verify)')
    work = tempfile.mkdtemp(prefix='fogbank-patterns-')
    try:
        with open(os.path.join(work, 'PatternCheck.java'), 'w') as f:
            f.write(JAVA_CHECKER)
        with open(os.path.join(work, 'check.cjs'), 'w') as f:
            f.write(NODE_CHECKER)
        subprocess.run([javac, 'PatternCheck.java'], cwd=work, check=True)
        b64 = lambda s: base64.b64encode(s.encode('utf-8', 'surrogatepass')).decode()
        java_lines, node_lines = [], []
        for index, (pattern, js, flags, limit) in enumerate(entries):
            java_lines.append('P ' + b64(pattern))
            node_lines.append('P ' + b64(json.dumps({'js': js, 'flags': flags, 'limit': limit})))
            for s in probes_for(pattern, index):
                if re.search(r'[\ud800-\udfff]', s):
                    continue  # lone surrogates cannot travel as UTF-8, and JSON bodies cannot hold them either
                java_lines.append('S ' + b64(s))
                node_lines.append('S ' + b64(s))
        for name, lines in (('java.in', java_lines), ('node.in', node_lines)):
            with open(os.path.join(work, name), 'w') as f:
                f.write('\n'.join(lines) + '\n')
        subprocess.run([java, '-cp', work, 'PatternCheck', os.path.join(work, 'java.in'), os.path.join(work, 'java.out')], check=True)
        subprocess.run([node, os.path.join(work, 'check.cjs'), os.path.join(work, 'node.in'), os.path.join(work, 'node.out')], check=True)
        java_out = open(os.path.join(work, 'java.out')).read().split('\n')
        node_out = open(os.path.join(work, 'node.out')).read().split('\n')
        failures = {}
        for (pattern, _js, _flags, _limit), j, s in zip(entries, java_out, node_out):
            if j == 'E':
                failures[pattern] = 'Java cannot compile it'
            elif j.endswith('T'):
                failures[pattern] = 'Java itself backtracks badly on it'
            elif s == 'E':
                failures[pattern] = 'the JavaScript translation does not compile'
            elif s == 'S':
                failures[pattern] = 'the JavaScript translation backtracks badly'
            elif j != s:
                failures[pattern] = 'the JavaScript translation disagrees with Java on some inputs'
        return failures
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Walking botocore's input shapes beside the minified model's.

class MinModel:
    def __init__(self, raw):
        self.shapes = raw.get('shapes', {})

    def resolve(self, ref):
        ref = ref or {}
        if 'shape' in ref:
            target = self.resolve(self.shapes[ref['shape']])
            overrides = {k: v for k, v in ref.items() if k != 'shape'}
            return {**target, **overrides}
        return ref if 'type' in ref else {**ref, 'type': 'string'}


LENGTH_TYPES = {'string', 'blob', 'list', 'map'}
NUMBER_TYPES = {'integer', 'long', 'float', 'double', 'bigdecimal', 'biginteger'}
MAX_SAFE = 2 ** 53 - 1


def number(value):
    # Bounds past JavaScript's exact integers keep their exact text, for the message.
    if isinstance(value, int) and abs(value) > MAX_SAFE:
        return str(value)
    return value


class Extractor:
    def __init__(self, boto, minimal, options):
        self.boto = boto['shapes']
        self.min = minimal
        self.options = options
        self.nodes = {}  # boto shape name -> node (own constraints and child refs)
        self.children = {}  # boto shape name -> names of child shapes
        self.collections = set()
        self.warnings = []
        self.patterns = {}  # Java pattern -> (js, flags) or reason string

    def visit(self, name, min_shape, path):
        if name in self.nodes:
            return
        shape = self.boto[name]
        btype = shape['type']
        mtype = min_shape.get('type', 'string')
        node = {}
        self.nodes[name] = node
        self.children[name] = []
        if btype != mtype or shape.get('document') or shape.get('eventstream') or min_shape.get('document'):
            if btype != mtype:
                self.warnings.append(f'{path}: botocore says {btype}, the minified model {mtype}; skipped')
            return
        if btype in LENGTH_TYPES or btype in NUMBER_TYPES:
            for bound in ('min', 'max'):
                if bound in shape:
                    node[bound] = number(shape[bound])
        if btype == 'string' and 'enum' in shape and not self.options.get('noEnums'):
            node['enum'] = shape['enum']
        if btype == 'string' and 'pattern' in shape and shape['pattern'] not in self.options.get('skipPatterns', []):
            node['pattern'] = shape['pattern']
        if shape.get('sensitive'):
            node['sensitive'] = 1
        if btype == 'structure':
            members = {}
            for member, ref in shape.get('members', {}).items():
                if member not in min_shape.get('members', {}):
                    continue
                members[member] = ref['shape']
                self.children[name].append(ref['shape'])
                self.visit(ref['shape'], self.min.resolve(min_shape['members'][member]), f'{path}.{member}')
            node['members'] = members
        elif btype == 'list':
            node['member'] = shape['member']['shape']
            self.children[name].append(node['member'])
            self.visit(node['member'], self.min.resolve(min_shape.get('member')), f'{path}.member')
        elif btype == 'map':
            for part in ('key', 'value'):
                node[part] = shape[part]['shape']
                self.children[name].append(node[part])
                self.visit(node[part], self.min.resolve(min_shape.get(part)), f'{path}.{part}')

    def useful(self):
        """Shapes that constrain something themselves or lead to one that does."""
        own = {n for n, node in self.nodes.items() if any(k in node for k in ('min', 'max', 'enum', 'pattern'))}
        useful = set(own)
        changed = True
        while changed:
            changed = False
            for n, kids in self.children.items():
                if n not in useful and any(k in useful for k in kids):
                    useful.add(n)
                    changed = True
        return useful

    def emit(self, names):
        useful = self.useful()
        shapes = {}
        for name in sorted(useful):
            node = dict(self.nodes[name])
            shape_type = self.boto[name]['type']
            has_length = 'min' in node or 'max' in node
            if shape_type == 'structure':
                # Structure members stay even when they constrain nothing: their names print values.
                node['members'] = {m: s for m, s in node['members'].items()
                                   if s in useful or self.boto[s]['type'] == 'structure'}
                if not node['members']:
                    del node['members']
            else:
                for part in ('member', 'key', 'value'):
                    if part in node and node[part] not in useful and not has_length:
                        del node[part]
            if 'pattern' in node:
                translated = self.patterns[node['pattern']]
                if isinstance(translated, str):
                    node['js'] = False  # printed in "[...]" lists, never enforced
                else:
                    js, flags = translated
                    if js != node['pattern']:
                        node['js'] = js
                    if flags:
                        node['flags'] = flags
            shapes[name] = node
        operations = {op: shape for op, shape in names.items() if shape in useful}
        return operations, shapes


def main():
    verify = '--no-verify' not in sys.argv
    os.makedirs(OUT_DIR, exist_ok=True)
    services = [(name, uid) for name, uid in registry_services() if name not in EXCLUDED_SERVICES]
    runs = []
    all_patterns = {}
    for name, uid in services:
        minimal_raw = load_json(os.path.join(AWS_SDK_APIS, f'{uid}.min.json'))
        boto, boto_path = botocore_model_for(minimal_raw['metadata'])
        config = SERVICE_OPTIONS.get(name, {})
        ex = Extractor(boto, MinModel(minimal_raw), config)
        op_inputs = {}
        for op, min_op in minimal_raw['operations'].items():
            boto_op = boto['operations'].get(op)
            if not boto_op or 'input' not in boto_op or 'input' not in min_op:
                continue
            op_inputs[op] = boto_op['input']['shape']
            ex.visit(boto_op['input']['shape'], ex.min.resolve(min_op['input']), op)
        for node in ex.nodes.values():
            if 'pattern' in node and node['pattern'] not in all_patterns:
                try:
                    all_patterns[node['pattern']] = translate(node['pattern'])
                except Untranslatable as why:
                    all_patterns[node['pattern']] = f'cannot translate: {why}'
        runs.append((name, uid, boto_path, config, ex, op_inputs))

    if verify:
        # The longest value each pattern can be asked to check: the validator skips a pattern on
        # a string already too long for its shape, so only unbounded shapes meet longer input.
        limits = {}
        for run in runs:
            for node in run[4].nodes.values():
                if 'pattern' in node:
                    bound = node.get('max')
                    bound = 20000 if bound is None else min(int(bound), 20000)
                    limits[node['pattern']] = max(limits.get(node['pattern'], 0), bound)
        entries = [(p, t[0], t[1], limits[p]) for p, t in all_patterns.items() if not isinstance(t, str)]
        for pattern, reason in verify_translations(entries).items():
            all_patterns[pattern] = reason

    for name, uid, boto_path, config, ex, op_inputs in runs:
        ex.patterns = all_patterns
        operations, shapes = ex.emit(op_inputs)
        skipped = {p: r for p, r in all_patterns.items() if isinstance(r, str) and any(n.get('pattern') == p for n in ex.nodes.values())}
        document = {
            'uid': uid,
            'source': f'botocore {botocore.__version__} data/{boto_path}',
            'botocore': botocore.__version__,
            'patternsVerifiedAgainstJava': verify,
            'options': config.get('options', {}),
            'skippedPatterns': dict(sorted(skipped.items())),
            'operations': operations,
            'shapes': shapes,
        }
        write(os.path.join(OUT_DIR, f'{uid}.json'), document)
        for warning in ex.warnings:
            print(f'{uid}: {warning}', file=sys.stderr)
        print(f'{uid}: {len(operations)} operations, {len(shapes)} shapes, {len(skipped)} patterns skipped')


def write(path, document):
    """Compact JSON with one shape per line, so a regeneration diffs readably."""
    lines = ['{']
    keys = list(document)
    for k, key in enumerate(keys):
        comma = ',' if k < len(keys) - 1 else ''
        value = document[key]
        if key in ('shapes', 'operations', 'skippedPatterns') and value:
            lines.append(f'{json.dumps(key)}: {{')
            items = list(value.items())
            for j, (name, entry) in enumerate(items):
                item_comma = ',' if j < len(items) - 1 else ''
                lines.append(f'{json.dumps(name)}: {json.dumps(entry, ensure_ascii=False, separators=(",", ":"))}{item_comma}')
            lines.append('}' + comma)
        else:
            lines.append(f'{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, separators=(",", ":"))}{comma}')
    lines.append('}')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
