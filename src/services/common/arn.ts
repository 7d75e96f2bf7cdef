// Amazon Resource Names, built one way everywhere.

export interface ArnParts {
  partition?: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** The partition a region belongs to (China and GovCloud regions have their own). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function arn({ partition, service, region, account, resource }: ArnParts): string {
  return `arn:${partition ?? partitionOf(region)}:${service}:${region}:${account}:${resource}`;
}

export function parseArn(text: string): ArnParts | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { partition: parts[1]!, service: parts[2]!, region: parts[3]!, account: parts[4]!, resource: parts.slice(5).join(':') };
}
