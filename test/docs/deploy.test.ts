import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GLOBAL_ENV } from '../../src/config/index.js';

const deploy = (file: string) => readFileSync(new URL(`../../docs/deploy/${file}`, import.meta.url), 'utf8');
const packageFiles = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] }).files;

/** The environment the connector reads: its own settings, and the AWS SDK's credentials chain. */
const connectorEnv = new Set<string>([...Object.values(GLOBAL_ENV), 'AWS_REGION', 'AWS_PROFILE', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ENDPOINT_URL']);
/** SIGTERM makes the connector exit within this many seconds (README, "Running unattended"). */
const STOP_SECONDS = 10;
/** Peak RSS of the 1,000,000-object bench (bench/scenarios/s3-objects.ts), in MB. */
const BENCH_PEAK_RSS_MB = 205;

/** Dockerfile instructions of the last stage, joined across line continuations. */
function runtimeStage(): { instruction: string; args: string }[] {
  const lines = deploy('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ instruction: l.split(/\s+/)[0]!.toUpperCase(), args: l.replace(/^\S+\s+/, '') }));
  const from = lines.map((l) => l.instruction).lastIndexOf('FROM');
  return lines.slice(from);
}

const mebibytes = (quantity: string) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

describe('docs/deploy/Dockerfile', () => {
  const stage = runtimeStage();
  const args = (instruction: string) => stage.filter((l) => l.instruction === instruction).map((l) => l.args);

  it('runs on Node 20 slim as the unprivileged node user, with the connector as entrypoint', () => {
    for (const from of deploy('Dockerfile').match(/^FROM .*$/gm) ?? []) expect(from).toMatch(/^FROM node:20-slim\b/);
    expect(args('USER').at(-1)).toBe('node');
    expect(JSON.parse(args('ENTRYPOINT').at(-1)!)).toEqual(['node', '/opt/connector/bin/connector.js']);
    expect(JSON.parse(args('CMD').at(-1)!)).toEqual(['run', '-c', '/config/raito.yml']);
  });

  it('installs the runtime dependencies from the lock file and holds what the npm package holds', () => {
    expect(args('RUN')).toContain('npm ci --omit=dev --ignore-scripts && npm cache clean --force');
    expect(args('COPY')).toContain('package.json package-lock.json ./');
    const copied = args('COPY').map((a) => a.replace(/^--from=\S+\s+/, '').split(/\s+/)[0]!.replace(/^\/src\//, ''));
    expect(copied.filter((c) => !c.startsWith('package')).sort()).toEqual([...packageFiles].sort());
  });
});

interface Container {
  command?: string[];
  args: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  resources: { requests: { memory: string }; limits: { memory: string } };
  volumeMounts: { mountPath: string }[];
}
interface PodSpec {
  serviceAccountName: string;
  restartPolicy: string;
  terminationGracePeriodSeconds: number;
  securityContext: { runAsNonRoot: boolean };
  containers: Container[];
}
interface KubernetesObject {
  kind: string;
  metadata: { name: string; annotations: Record<string, string> };
  spec: { concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: PodSpec } } } };
}

interface Workflow {
  on: { schedule: { cron: string }[] };
  permissions: Record<string, string>;
  concurrency: Record<string, unknown>;
  jobs: { sync: { steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] } };
}

describe('docs/deploy/cronjob.yaml', () => {
  const docs = parseAllDocuments(deploy('cronjob.yaml')).map((d) => d.toJS() as KubernetesObject);
  const account = docs.find((d) => d.kind === 'ServiceAccount')!;
  const cronJob = docs.find((d) => d.kind === 'CronJob')!;
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0]!;

  it('runs under a service account with an IAM role (IRSA), never two at once', () => {
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::\d{12}:role\/.+/);
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });

  it('gives the connector time to stop on SIGTERM before SIGKILL', () => {
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(STOP_SECONDS);
    expect(pod.terminationGracePeriodSeconds).toBeLessThanOrEqual(60);
  });

  it('takes RAITO_API_SECRET from a secret and sets only variables the connector reads', () => {
    const env = container.env;
    expect(env.find((e) => e.name === 'RAITO_API_SECRET')).toEqual({ name: 'RAITO_API_SECRET', valueFrom: { secretKeyRef: { name: 'raito-api', key: 'api-secret' } } });
    for (const e of env) expect(connectorEnv, e.name).toContain(e.name);
  });

  it('runs the image entrypoint with run, the mounted raito.yml and a summary file', () => {
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual(['run', '-c', '/config/raito.yml', '--summary-file', '/work/summary.json']);
    const mounts = container.volumeMounts.map((m) => m.mountPath);
    expect(mounts).toEqual(['/config', '/work', '/tmp']);
  });

  it('sizes memory from the bench peak RSS, with headroom', () => {
    expect(mebibytes(container.resources.requests.memory)).toBeGreaterThanOrEqual(BENCH_PEAK_RSS_MB);
    expect(mebibytes(container.resources.limits.memory)).toBeGreaterThanOrEqual(2 * BENCH_PEAK_RSS_MB);
  });
});

describe('docs/deploy/github-actions.yml', () => {
  const workflow = parse(deploy('github-actions.yml')) as Workflow;
  const steps = workflow.jobs.sync.steps;

  it('runs on a schedule with an AWS role from GitHub OIDC (no stored AWS keys)', () => {
    expect(workflow.on.schedule[0]?.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(workflow.permissions['id-token']).toBe('write');
    const aws = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws?.with?.['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\/.+/);
    expect(JSON.stringify(workflow)).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
  });

  it('runs the connector on Node 20 with the API secret from the repository secrets', () => {
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    const sync = steps.find((s) => s.run?.includes('connector run'))!;
    expect(sync.run).toBe('npx --no-install connector run -c raito.yml --summary-file summary.json');
    expect(sync.env?.RAITO_API_SECRET).toBe('${{ secrets.RAITO_API_SECRET }}');
    for (const name of Object.keys(sync.env ?? {})) expect(connectorEnv, name).toContain(name);
  });
});
