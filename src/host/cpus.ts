import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The CPUs this process can use: the cores it may run on, or fewer under a cgroup CPU quota (a
 * Kubernetes CPU limit, `docker run --cpus`), which Node's core count does not see.
 */
export function usableCpus(cores = availableParallelism(), quota = cgroupCpuQuota()): number {
  return quota === undefined ? cores : Math.min(cores, Math.max(1, quota));
}

/** The cgroup's CPU quota in CPUs (v2 `cpu.max`, else v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`); undefined without one. */
export function cgroupCpuQuota(read: (path: string) => string | undefined = readIfThere): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2) return v2[0] === 'max' ? undefined : quotaOf(v2[0], v2[1]);
  return quotaOf(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim(), read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim());
}

function quotaOf(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
