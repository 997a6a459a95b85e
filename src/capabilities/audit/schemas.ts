import { z } from "zod";

export const AuditQuery = z.strictObject({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(40).optional(),
  orgUnitId: z.coerce.number().int().positive().optional(),
  username: z.string().max(60).optional(),
  action: z.string().max(60).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const AuditItem = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  username: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  orgUnitId: z.number().int().nullable(),
  orgUnitName: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
