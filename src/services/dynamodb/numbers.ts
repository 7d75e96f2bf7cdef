// DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to below 1E+126, kept
// as decimal text and never passed through a JavaScript double. Parsing yields the canonical
// text DynamoDB returns ("01.50" -> "1.5", "1.5E2" -> "150", "-0" -> "0").

import { Decimal } from 'decimal.js';
import { validation } from './errors.js';

/** A number as sign, significant digits (no leading or trailing zeros) and scientific exponent. */
export interface ParsedNumber {
  negative: boolean;
  /** '' for zero. */
  digits: string;
  /** Value = d1.d2d3... x 10^exponent. */
  exponent: number;
}

const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Already canonical: most numbers applications send, parsed without allocation-heavy work. */
const CANONICAL = /^-?(?:0|[1-9]\d{0,37})(?:\.\d{0,37}[1-9])?$/;

export function parseNumber(text: string): ParsedNumber {
  const m = SYNTAX.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw validation(text === '' ? 'The parameter cannot be converted to a numeric value' : `The parameter cannot be converted to a numeric value: ${text}`);
  }
  const whole = m[2]!;
  const fraction = m[3] ?? '';
  let all = whole + fraction;
  // Position of the decimal point within `all`, counted from the left.
  let point = whole.length + (m[4] ? Number(m[4]) : 0);
  const lead = all.search(/[^0]/);
  if (lead < 0) return { negative: false, digits: '', exponent: 0 };
  all = all.slice(lead);
  point -= lead;
  const digits = all.replace(/0+$/, '');
  const exponent = point - 1;
  if (digits.length > 38) throw validation('Attempting to store more than 38 significant digits in a Number');
  if (exponent > 125) throw validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (exponent < -130) throw validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  return { negative: m[1] === '-', digits, exponent };
}

export function formatNumber(n: ParsedNumber): string {
  const { digits, exponent } = n;
  if (digits === '') return '0';
  let text: string;
  if (exponent >= digits.length - 1) text = digits + '0'.repeat(exponent - digits.length + 1);
  else if (exponent < 0) text = '0.' + '0'.repeat(-exponent - 1) + digits;
  else text = digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1);
  return n.negative ? '-' + text : text;
}

/** The canonical text of a number, or AWS's validation error. */
export function canonicalNumber(text: string): string {
  if (text.length <= 38 && CANONICAL.test(text) && text !== '-0') return text;
  return formatNumber(parseNumber(text));
}

/** Three-way comparison of two canonical number texts. */
export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0;
  const x = parseNumber(a);
  const y = parseNumber(b);
  const sx = x.digits === '' ? 0 : x.negative ? -1 : 1;
  const sy = y.digits === '' ? 0 : y.negative ? -1 : 1;
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  let magnitude: number;
  if (x.exponent !== y.exponent) magnitude = x.exponent < y.exponent ? -1 : 1;
  else magnitude = x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  return sx * magnitude;
}

// Enough precision for any sum of two in-range numbers to be exact (exponents span 256 places).
const Exact = Decimal.clone({ precision: 400, toExpNeg: -9e15, toExpPos: 9e15 });

/** a + b (or a - b), as canonical text; AWS's range errors when the result does not fit. */
export function addNumbers(a: string, b: string, subtract = false): string {
  const x = new Exact(a);
  const result = subtract ? x.minus(b) : x.plus(b);
  return canonicalNumber(result.toFixed());
}

/**
 * An order-preserving, self-delimiting text for a number, for keys in the store: numbers sort
 * by value and no encoding is a prefix of another, so keys can be concatenated.
 */
export function encodeNumberKey(text: string): string {
  const n = parseNumber(text);
  if (n.digits === '') return '2';
  if (!n.negative) return '3' + String(n.exponent + 200).padStart(3, '0') + n.digits + '!';
  let complement = '';
  for (let i = 0; i < n.digits.length; i++) complement += String(9 - (n.digits.charCodeAt(i) - 48));
  return '1' + String(999 - (n.exponent + 200)).padStart(3, '0') + complement + '~';
}
