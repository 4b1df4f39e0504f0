import type { AccessProviderToExport } from '../../model/index.js';
import { sampleAccountId } from './identities.js';

const object = (path: string, region: string, type: 'bucket' | 'folder' | 'file') => ({ fullName: `${sampleAccountId}:${region}:${path}`, type });

/**
 * What the cloud asks the demo to write into the sample account: a role, a managed policy, a deny
 * policy, an access point and an Identity Center permission set (the sample organization's). The demo's summary shows them created (the sample account answers the
 * write calls in memory), and the import that follows reads them back.
 */
export const sampleAccessProvidersToExport: AccessProviderToExport[] = [
  {
    id: 'demo-sales-2024-readers',
    name: 'Sales 2024 readers',
    description: 'Read the 2024 sales data (exported by the demo).',
    type: 'aws_role',
    action: 'grant',
    who: { users: ['heidi'], groups: ['finance'], inheritFrom: [] },
    delete: false,
    what: [
      { dataObject: object('acme-sales/2024', 'eu-central-1', 'folder'), permissions: ['s3:GetObject'] },
      { dataObject: object('acme-sales', 'eu-central-1', 'bucket'), permissions: ['s3:ListBucket'] },
    ],
  },
  {
    id: 'demo-warehouse-writers',
    name: 'Warehouse writers',
    type: 'aws_policy',
    action: 'grant',
    who: { users: [], groups: ['data-engineers'], inheritFrom: ['ID:demo-sales-2024-readers'] },
    delete: false,
    what: [{ dataObject: object('acme-sales/warehouse', 'eu-central-1', 'folder'), permissions: ['s3:GetObject', 's3:PutObject'] }],
  },
  {
    id: 'demo-no-payroll',
    name: 'No payroll for contractors',
    action: 'deny',
    who: { users: ['mallory'], groups: [], inheritFrom: [] },
    delete: false,
    what: [{ dataObject: object('acme-hr/payroll', 'us-east-1', 'folder'), permissions: ['s3:GetObject'] }],
  },
  {
    id: 'demo-hr-reviews',
    name: 'HR reviews',
    type: 'aws_access_point',
    action: 'grant',
    who: { users: ['grace'], groups: [], inheritFrom: [] },
    delete: false,
    what: [{ dataObject: object('acme-hr/employees/reviews', 'us-east-1', 'folder'), permissions: ['s3:GetObject'] }],
  },
  {
    id: 'demo-warehouse-readers-sso',
    name: 'Warehouse readers',
    description: 'Read the sales warehouse through IAM Identity Center (exported by the demo).',
    type: 'aws_sso_role',
    action: 'grant',
    who: { users: ['walter@acme.example'], groups: ['Platform'], inheritFrom: [] },
    delete: false,
    what: [{ dataObject: object('acme-sales/warehouse', 'eu-central-1', 'folder'), permissions: ['s3:GetObject'] }],
  },
];
