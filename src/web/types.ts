/**
 * The API's shapes, taken from the server's own Zod schemas (types only: nothing of the server
 * reaches the bundle), so the web app and the API cannot drift apart unnoticed.
 */
import type { z } from "zod";
// Events and coordination agreements
import type * as Agreements from "../capabilities/agreements/schemas.ts";
import type * as Association from "../capabilities/association/schemas.ts";
import type * as Audit from "../capabilities/audit/schemas.ts";
import type * as Auth from "../capabilities/auth/schemas.ts";
import type * as Frameworks from "../capabilities/criteria-frameworks/schemas.ts";
import type * as Dhis2 from "../capabilities/dhis2/schemas.ts";
import type * as Evaluations from "../capabilities/evaluations/schemas.ts";
import type * as Events from "../capabilities/events/schemas.ts";
import type * as Imports from "../capabilities/imports/schemas.ts";
import type * as Literacy from "../capabilities/literacy/schemas.ts";
import type * as OrgUnits from "../capabilities/org-units/schemas.ts";
import type * as Reports from "../capabilities/reports/schemas.ts";
import type * as Stats from "../capabilities/statistics/schemas.ts";
import type * as Users from "../capabilities/users/schemas.ts";

export type CurrentUser = z.infer<typeof Auth.CurrentUser>;
export type SessionResponse = z.infer<typeof Auth.SessionResponse>;
export type ApiTokenInfo = z.infer<typeof Auth.ApiTokenInfo>;
export type CreatedToken = z.infer<typeof Auth.CreatedToken>;
export type OrgUnitSummary = z.infer<typeof OrgUnits.OrgUnitSummary>;
export type OrgUnitListItem = z.infer<typeof OrgUnits.OrgUnitListItem>;
export type OrgUnitDetail = z.infer<typeof OrgUnits.OrgUnitDetail>;
export type LineageLink = z.infer<typeof OrgUnits.LineageLink>;
export type UserView = z.infer<typeof Users.UserView>;
export type UserWithPassword = z.infer<typeof Users.UserWithPassword>;
export type AuditItem = z.infer<typeof Audit.AuditItem>;
export type EvaluationSummary = z.infer<typeof Evaluations.EvaluationSummary>;
export type EvaluationDetail = z.infer<typeof Evaluations.EvaluationDetail>;
export type RegisterResult = z.infer<typeof Evaluations.RegisterResult>;
export type BatchResult = z.infer<typeof Evaluations.BatchResult>;
export type FrameworkSummary = z.infer<typeof Frameworks.FrameworkSummary>;
export type FrameworkDetail = z.infer<typeof Frameworks.FrameworkDetail>;

export type StatsResponse = z.infer<typeof Stats.StatsResponse>;
export type ModelStats = z.infer<typeof Stats.ModelStats>;
export type StatsFigures = z.infer<typeof Stats.Figures>;
export type TrendResponse = z.infer<typeof Stats.TrendResponse>;

// Events and coordination agreements
export type ProgrammeEvent = z.infer<typeof Events.Event>;
export type EventList = z.infer<typeof Events.EventList>;
export type LinkableEntry = z.infer<typeof Events.LinkableEntry>;
export type EventSummary = z.infer<typeof Events.Summary>;
export type EventFigures = z.infer<typeof Events.Figures>;
export type Agreement = z.infer<typeof Agreements.Agreement>;
export type AgreementList = z.infer<typeof Agreements.AgreementList>;
// literacy and universal education
export type LiteracyCommuneYear = z.infer<typeof Literacy.CommuneYear>;
export type LiteracyRecord = z.infer<typeof Literacy.LiteracyRecord>;
export type LiteracySummary = z.infer<typeof Literacy.LiteracySummary>;
export type LiteracyFiguresSummed = z.infer<typeof Literacy.SummedFigures>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

// Association membership
export type AssociationReport = z.infer<typeof Association.Report>;
export type AssociationFigures = z.infer<typeof Association.Figures>;
export type AssociationBody = z.infer<typeof Association.BodyView>;
export type AssociationChapter = z.infer<typeof Association.Chapter>;

// Periodic reporting
export type ReportTemplateSummary = z.infer<typeof Reports.TemplateSummary>;
export type ReportTemplateList = z.infer<typeof Reports.TemplateList>;
export type ReportView = z.infer<typeof Reports.ReportView>;
export type ReportState = z.infer<typeof Reports.ReportState>;
export type ReportRequestStatus = z.infer<typeof Reports.RequestStatus>;
export type ReportRequestList = z.infer<typeof Reports.RequestList>;
export type ReportDocumentView = z.infer<typeof Reports.ReportDocumentView>;

// Imports from Excel/CSV
export type ImportJob = z.infer<typeof Imports.ImportJob>;
export type ImportProblem = ImportJob["problems"][number];

// DHIS2: figures out, targets in
export type Dhis2ImportResult = z.infer<typeof Dhis2.ImportResult>;
export type Dhis2CheckedValue = Dhis2ImportResult["values"][number];
export type Dhis2Mapping = z.infer<typeof Dhis2.MappingView>;
