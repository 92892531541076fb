import { z } from '@hono/zod-openapi';
import {
  AUDIENCE_TYPES,
  CALL_OUTCOMES,
  CALL_TOPICS,
  CALLER_TYPES,
  CASE_STATUSES,
  CLOSURE_REASONS,
  CONSENT_ACTIONS,
  CONSENT_GIVERS,
  CONSENT_KINDS,
  ERASURE_REASONS,
  GENDERS,
  GOAL_STATUSES,
  HOUSEHOLD_SITUATIONS,
  OUTREACH_KINDS,
  SERVICE_KINDS,
  URGENCIES,
} from '../db/schema';
import { AGE_BANDS } from './cases';
import { IsoDay } from '../http/routes';
import { REVEAL_REASONS } from './labels';

/*
 * Request schemas, shared by the JSON API (which publishes them in OpenAPI) and the HTML forms
 * (which parse form fields into the same shapes). Messages never repeat the submitted value.
 */

export const Day = IsoDay.openapi({ example: '2026-11-20' });
const optText = (max: number) => z.string().trim().max(max).nullable().optional();
const CategoryKey = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);

export const IdentityBody = z
  .object({
    fullName: optText(200),
    birthDate: Day.nullable().optional(),
    address: optText(500),
    guardianName: optText(200),
    guardianRelation: optText(100),
    guardianPhone: z
      .string()
      .trim()
      .max(40)
      .regex(/^[0-9+ ().-]*$/, 'digits, spaces and + ( ) . - only')
      .nullable()
      .optional(),
    photos: z
      .array(z.object({ key: z.string().min(1).max(300), caption: z.string().max(200).optional() }))
      .max(20)
      .nullable()
      .optional(),
  })
  .openapi('CaseIdentityInput');

export const NewCaseBody = z
  .object({
    birthYear: z.number().int().min(1900).max(2200),
    gender: z.enum(GENDERS),
    locationId: z.string().uuid(),
    categories: z.array(CategoryKey).max(20).optional(),
    household: z.enum(HOUSEHOLD_SITUATIONS).optional(),
    urgency: z.enum(URGENCIES).optional(),
    openedOn: Day.nullable().optional(),
    identity: IdentityBody.nullable().optional(),
  })
  .openapi('NewCase');

export const CasePatchBody = z
  .object({
    birthYear: z.number().int().min(1900).max(2200).optional(),
    gender: z.enum(GENDERS).optional(),
    locationId: z.string().uuid().optional(),
    categories: z.array(CategoryKey).max(20).optional(),
    household: z.enum(HOUSEHOLD_SITUATIONS).optional(),
    urgency: z.enum(URGENCIES).optional(),
  })
  .openapi('CasePatch');

export const TransitionBody = z
  .object({
    to: z.enum(CASE_STATUSES),
    closureReason: z.enum(CLOSURE_REASONS).nullable().optional(),
    on: Day.nullable().optional(),
  })
  .openapi('CaseTransitionInput');

export const GoalBody = z
  .object({ description: z.string().trim().min(1).max(1000), targetDate: Day.nullable().optional() })
  .openapi('CaseGoalInput');

export const GoalPatchBody = z.object({ status: z.enum(GOAL_STATUSES) }).openapi('CaseGoalPatch');

export const ServiceBody = z
  .object({
    kind: z.enum(SERVICE_KINDS),
    on: Day.nullable().optional(),
    durationMinutes: z.number().int().min(0).max(1440),
    staffUserId: z.string().uuid().nullable().optional(),
    referralTo: optText(200),
    note: optText(2000),
  })
  .openapi('CaseServiceInput');

export const ConsentBody = z
  .object({
    kind: z.enum(CONSENT_KINDS),
    action: z.enum(CONSENT_ACTIONS),
    on: Day.nullable().optional(),
    givenByRelation: z.enum(CONSENT_GIVERS),
    givenByName: optText(200),
  })
  .openapi('CaseConsentInput');

export const ErasureBody = z.object({ reason: z.enum(ERASURE_REASONS) }).openapi('CaseErasureInput');

export const CaseListQuery = z.object({
  status: z.enum([...CASE_STATUSES, 'open']).optional(),
  category: CategoryKey.optional(),
  locationId: z.string().uuid().optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
  code: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export const RevealQuery = z.object({
  reveal: z.enum(['identity']).optional().openapi({ description: 'Ask for the identifying data (caseworker of the area, admin); needs `reason`.' }),
  reason: z.enum(REVEAL_REASONS).optional().openapi({ description: 'Why the identifying data is read; stored in the audit trail.' }),
});

export const ExportQuery = z.object({ reason: z.enum(REVEAL_REASONS) });

const csv = (inner: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
    .pipe(z.array(inner).max(50).optional());

export const EligibleQuery = z.object({
  minAge: z.coerce.number().int().min(0).max(150).optional(),
  maxAge: z.coerce.number().int().min(0).max(150).optional(),
  categories: csv(CategoryKey).openapi({ type: 'string', description: 'Comma-separated category keys (any of)' }),
  locationIds: csv(z.string().uuid()).openapi({ type: 'string', description: 'Comma-separated location ids (each with its subtree)' }),
  asOf: Day.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const CategoryBody = z
  .object({ key: CategoryKey, labelVi: z.string().trim().min(1).max(100), labelEn: z.string().trim().min(1).max(100) })
  .openapi('CaseCategoryInput');

export const HotlineCallBody = z
  .object({
    receivedAt: z.iso.datetime({ offset: true }).nullable().optional(),
    durationMinutes: z.number().int().min(0).max(600),
    callerType: z.enum(CALLER_TYPES),
    topic: z.enum(CALL_TOPICS),
    outcome: z.enum(CALL_OUTCOMES),
    locationId: z.string().uuid().nullable().optional(),
    caseCode: z.string().trim().max(40).nullable().optional(),
  })
  .openapi('HotlineCallInput');

export const OutreachBody = z
  .object({
    kind: z.enum(OUTREACH_KINDS),
    heldOn: Day,
    title: z.string().trim().min(1).max(200),
    locationId: z.string().uuid().nullable().optional(),
    audienceType: z.enum(AUDIENCE_TYPES),
    participants: z.number().int().min(0).max(1_000_000),
    leaflets: z.number().int().min(0).max(10_000_000).optional(),
    posters: z.number().int().min(0).max(1_000_000).optional(),
    questionnaires: z.number().int().min(0).max(1_000_000).optional(),
  })
  .openapi('OutreachEventInput');

export const PeriodQuery = z.object({ from: Day.optional(), to: Day.optional() });
export const RequiredPeriodQuery = z.object({ from: Day, to: Day });
