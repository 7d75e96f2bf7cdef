// Figure 5: latency as an application sees it, through the real AWS SDK v3 client: sequential
// GetSecretValue calls after a warm-up, each timed on its own.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BENCH_SECRET_NAME } from './requests.js';

export interface LatencyResult {
  calls: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
}

export interface LatencySettings {
  warmupCalls: number;
  calls: number;
  /** Stop (and report failure) if the measured calls take longer than this in total. */
  budgetMs: number;
}

/** The q-quantile of sorted values, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Times the calls against a server where the bench secret already exists. Throws (with the SDK's
 * error name) when GetSecretValue does not succeed, so the caller can report "not available".
 */
export async function measureSdkLatency(port: number, settings: LatencySettings): Promise<LatencyResult> {
  // The SDK's notice about future Node versions is noise in the benchmark's progress output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new SecretsManagerClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  const command = new GetSecretValueCommand({ SecretId: BENCH_SECRET_NAME });
  try {
    for (let i = 0; i < settings.warmupCalls; i++) await client.send(command);
    const times: number[] = [];
    const deadline = performance.now() + settings.budgetMs;
    for (let i = 0; i < settings.calls; i++) {
      const start = performance.now();
      await client.send(command);
      const end = performance.now();
      times.push(end - start);
      if (end > deadline) throw new Error(`only ${times.length} of ${settings.calls} calls within ${settings.budgetMs} ms`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { calls: times.length, medianMs: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), meanMs: times.reduce((a, b) => a + b, 0) / times.length };
  } finally {
    client.destroy();
  }
}
