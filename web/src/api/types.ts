// The API's shapes, generated from benefitd's own OpenAPI document (@api/schema is written by
// the build from `benefitd-openapi`): a field the page reads that the document lacks fails
// the typecheck, so the page and the server cannot drift apart.
import type { components } from '@api/schema';

type Schemas = components['schemas'];

export type Benefit = Schemas['Benefit'];
export type BenefitPage = Schemas['BenefitPage'];
export type Package = Schemas['Package'];
export type PackagePage = Schemas['PackagePage'];
export type PackageWithBenefits = Schemas['PackageWithBenefits'];
export type Partner = Schemas['Partner'];
export type RegisteredPartner = Schemas['RegisteredPartner'];
export type User = Schemas['User'];
export type UserPage = Schemas['UserPage'];
export type NewUser = Schemas['NewUser'];
export type Catalog = Schemas['Catalog'];
export type Clock = Schemas['Clock'];
export type ClockAdvanced = Schemas['ClockAdvanced'];
export type AuditEvent = Schemas['AuditEvent'];
export type AuditEventPage = Schemas['AuditEventPage'];
export type FulfilmentRequest = Schemas['FulfilmentRequest'];
export type FulfilmentRequestPage = Schemas['FulfilmentRequestPage'];
export type VerifyReport = Schemas['VerifyReport'];
export type RevealedKey = Schemas['RevealedKey'];
export type SupportRequestOpened = Schemas['SupportRequestOpened'];
export type Problem = Schemas['Problem'];
export type Identity = Schemas['Identity'];

export type Role = User['roles'][number];
export type Category = Benefit['category'];
export type BenefitStatus = Benefit['status'];
export type PackageStatus = Package['status'];
export type PackageType = Package['type'];
export type SupportRequestBody = NonNullable<
  import('@api/schema').paths['/v1/benefits/{benefitId}/support-requests']['post']['requestBody']
>['content']['application/json'];
export type ProductFamily = SupportRequestBody['productFamily'];
export type SupportType = SupportRequestBody['type'];
