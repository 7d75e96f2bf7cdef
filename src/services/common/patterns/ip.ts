// IP addresses as numbers, for cidr patterns: IPv4 and IPv6 (with :: compression and an embedded
// IPv4 tail), compared as ranges of bigints so both families share one code path.

export interface IpRange {
  v6: boolean;
  low: bigint;
  high: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  let head = text;
  let tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseIpv4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groupsOf(halves[0]!);
  const right = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tail !== undefined) value = (value & ~0xffffffffn) | tail;
  return value;
}

/** An IP address as { v6, value }, or undefined when the text is not one. */
export function parseIp(text: string): { v6: boolean; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { v6: true, value: v6 };
}

/** Parses "address/bits"; throws the reason AWS gives for a malformed one. */
export function parseCidr(text: string): IpRange {
  const parts = text.split('/');
  if (parts.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  const [address, maskText] = parts as [string, string];
  if (!/^-?\d+$/.test(maskText)) throw new Error('Malformed CIDR, mask bits must be an integer');
  const ip = parseIp(address);
  const bits = ip?.v6 ? 128 : 32;
  const mask = Number(maskText);
  if (!ip || mask < 0 || mask > bits) throw new Error(`Nonstandard IP address: ${address}`);
  const hostBits = BigInt(bits - mask);
  const low = (ip.value >> hostBits) << hostBits;
  return { v6: ip.v6, low, high: low | ((1n << hostBits) - 1n) };
}

export function inRange(range: IpRange, text: string): boolean {
  const ip = parseIp(text);
  return ip !== undefined && ip.v6 === range.v6 && ip.value >= range.low && ip.value <= range.high;
}
