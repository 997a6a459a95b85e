import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Table types for Kysely. Keep in step with ./migrations. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;

export interface OrgUnitsTable {
  id: Generated<number>;
  parent_id: number | null;
  path: string;
  level: number;
  kind: string;
  code: string | null;
  name: string;
  search_key: string;
  sort_key: string;
  valid_from: string | null;
  valid_to: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrgUnitLineageTable {
  predecessor_id: number;
  successor_id: number;
  share: "full" | "partial";
  effective_date: string;
  source: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  full_name: string;
  search_key: string;
  role: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  is_active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserScopesTable {
  user_id: number;
  org_unit_id: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  token_hint: string;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  username: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  org_unit_id: number | null;
  before: Json;
  after: Json;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface AppSettingsTable {
  key: string;
  value: Json;
}

export interface CriteriaFrameworksTable {
  id: Generated<number>;
  model: string;
  version: number;
  title: string;
  province_id: number | null;
  citizen_group: number | null;
  effective_from_year: number;
  effective_to_year: number | null;
  status: Generated<"draft" | "published" | "retired">;
  definition: Json;
  cloned_from_id: number | null;
  source_key: string | null;
  created_by: number | null;
  created_at: Timestamp;
  published_at: Date | null;
}

export interface HouseholdsTable {
  id: Generated<number>;
  village_id: number;
  head_name: string;
  search_key: string;
  sort_key: string;
  address: string | null;
  is_poor: Generated<boolean>;
  is_near_poor: Generated<boolean>;
  is_ethnic_minority: Generated<boolean>;
  member_count: Generated<number>;
  active: Generated<boolean>;
  /** The household's code in the officer's own file ("Mã hộ"), unique in its village. */
  code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HouseholdMembersTable {
  id: Generated<number>;
  household_id: number;
  full_name: string;
  birth_year: number | null;
  sex: "male" | "female" | null;
  ethnicity: string | null;
  is_head: Generated<boolean>;
  national_id_hash: string | null;
  national_id_last4: string | null;
  created_at: Timestamp;
}

export interface ClansTable {
  id: Generated<number>;
  commune_id: number;
  name: string;
  search_key: string;
  sort_key: string;
  note: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClanHouseholdsTable {
  clan_id: number;
  household_id: number;
}

export interface EvaluationsTable {
  id: Generated<number>;
  model: string;
  year: number;
  subject_kind: string;
  subject_id: number;
  org_unit_id: number;
  framework_id: number;
  status: string;
  answers: Json;
  derived: Json;
  total: number | null;
  rating_code: string | null;
  rating_label: string | null;
  passing: boolean | null;
  submitted_at: Date | null;
  reviewed_at: Date | null;
  review_comment: string | null;
  decided_at: Date | null;
  decision_number: string | null;
  decision_date: string | null;
  decision_issuer: string | null;
  reject_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ModelStatsTable {
  org_unit_id: number;
  year: number;
  model: string;
  metric: string;
  n: number;
}

export interface SubjectCountsTable {
  org_unit_id: number;
  subject_kind: string;
  n: number;
}

export interface ModelTargetsTable {
  org_unit_id: number;
  year: number;
  model: string;
  target_percent: string;
  set_by: number | null;
  set_at: Timestamp;
}

export interface CitizensTable {
  id: Generated<number>;
  org_unit_id: number;
  full_name: string;
  search_key: string;
  sort_key: string;
  citizen_group: number;
  birth_year: number | null;
  phone: string | null;
  household_member_id: number | null;
  status: Generated<"pending" | "verified" | "rejected">;
  source: "public" | "officer";
  flag: "burst" | "repeat" | "trap" | null;
  client_hash: string | null;
  reject_reason: string | null;
  created_at: Timestamp;
  decided_at: Date | null;
  decided_by: number | null;
}

export interface FundsTable {
  id: Generated<number>;
  org_unit_id: number;
  kind: "general" | "named";
  name: string;
  search_key: string;
  sort_key: string;
  fiscal_year_start_month: Generated<number>;
  start_year: number;
  created_by: number | null;
  created_at: Timestamp;
}

export interface FundTransfersTable {
  id: Generated<number>;
  from_fund_id: number;
  to_fund_id: number;
  amount: number;
  created_at: Timestamp;
}

/** Append-only (the database refuses UPDATE and DELETE). Amounts are ≤ 2^53 − 1 đồng. */
export interface FundEntriesTable {
  id: Generated<number>;
  fund_id: number;
  kind: "opening" | "receipt" | "disbursement" | "transfer_in" | "transfer_out";
  amount: number;
  entry_date: string;
  fiscal_year: number;
  donor_type: string | null;
  donor_name: string | null;
  earmark: string | null;
  purpose: string | null;
  beneficiaries: number | null;
  description: string | null;
  document_ref: string | null;
  transfer_id: number | null;
  reversal_of: number | null;
  /** The reversed entry's fiscal year: set by the database from `reversal_of`. */
  reversal_of_year: Generated<number | null>;
  idempotency_key: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface FundEntryLinesTable {
  id: Generated<number>;
  entry_id: number;
  /** The entry's fiscal year (part of its key): set by the database from `entry_id`. */
  entry_year: Generated<number>;
  pupil_name: string;
  school: string | null;
  level: string | null;
  amount: number;
}

export interface FundYearsTable {
  fund_id: number;
  year: number;
  status: "open" | "closed";
  /** bigint: may exceed 2^53 in principle; read it as text (closing_balance::text). */
  closing_balance: number | string | null;
  closed_at: Date | null;
  closed_by: number | null;
  reopened_at: Date | null;
  reopened_by: number | null;
  reopen_reason: string | null;
}

export interface FundPublicationsTable {
  fund_id: number;
  year: number;
  published_at: Timestamp;
  published_by: number | null;
}

/** Live roll-up counters; sums may exceed 2^53: read amount as text. */
export interface FundStatsTable {
  org_unit_id: number;
  year: number;
  metric: string;
  amount: number | string;
  entries: number;
  beneficiaries: number;
}

export interface FundTargetsTable {
  org_unit_id: number;
  year: number;
  per_inhabitant: number;
  population: number | null;
  set_by: number | null;
  set_at: Timestamp;
}

export interface ImportJobsTable {
  id: Generated<number>;
  kind: string;
  org_unit_id: number;
  user_id: number | null;
  username: string | null;
  file_name: string;
  file_format: "xlsx" | "csv";
  file_path: string | null;
  encoding: string | null;
  status: "checked" | "failed" | "imported" | "cancelled";
  rows_total: Generated<number>;
  rows_invalid: Generated<number>;
  rows_new: Generated<number>;
  rows_updated: Generated<number>;
  rows_unchanged: Generated<number>;
  rows_suspected: Generated<number>;
  cells_converted: Generated<number>;
  problems: ColumnType<unknown, string | undefined, string>;
  problem_count: Generated<number>;
  message: string | null;
  created_at: Generated<Date>;
  committed_at: Date | null;
  committed_mode: "all" | "valid" | null;
}

export interface GeneratedCommunesTable {
  commune_id: number;
  scale: string;
  seed: number;
  generated_at: Generated<Date>;
}

export interface DB {
  org_units: OrgUnitsTable;
  org_unit_lineage: OrgUnitLineageTable;
  users: UsersTable;
  user_scopes: UserScopesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingsTable;
  criteria_frameworks: CriteriaFrameworksTable;
  households: HouseholdsTable;
  import_jobs: ImportJobsTable;
  generated_communes: GeneratedCommunesTable;
  household_members: HouseholdMembersTable;
  clans: ClansTable;
  clan_households: ClanHouseholdsTable;
  evaluations: EvaluationsTable;
  model_stats: ModelStatsTable;
  subject_counts: SubjectCountsTable;
  model_targets: ModelTargetsTable;
  citizens: CitizensTable;
  funds: FundsTable;
  fund_transfers: FundTransfersTable;
  fund_entries: FundEntriesTable;
  fund_entry_lines: FundEntryLinesTable;
  fund_years: FundYearsTable;
  fund_publications: FundPublicationsTable;
  fund_stats: FundStatsTable;
  fund_targets: FundTargetsTable;
  centre_categories: CentreCategoriesTable;
  centre_profiles: CentreProfilesTable;
  centre_years: CentreYearsTable;
  centre_activities: CentreActivitiesTable;
  centre_stats: PeriodStatsTable;
  literacy_years: LiteracyYearsTable;
  literacy_stats: PeriodStatsTable;
  programme_events: ProgrammeEventsTable;
  event_fund_entries: EventFundEntriesTable;
  event_stats: PeriodStatsTable;
  coordination_agreements: CoordinationAgreementsTable;
  agreement_stats: PeriodStatsTable;
  inspection_plans: InspectionPlansTable;
  inspection_targets: InspectionTargetsTable;
  inspection_stats: PeriodStatsTable;
  commendations: CommendationsTable;
  exemplary_models: ExemplaryModelsTable;
  commendation_stats: PeriodStatsTable;
  association_chapters: AssociationChaptersTable;
  association_chapter_years: AssociationChapterYearsTable;
  unit_populations: UnitPopulationsTable;
  association_stats: PeriodStatsTable;
  report_templates: ReportTemplatesTable;
  report_requests: ReportRequestsTable;
  report_request_units: ReportRequestUnitsTable;
  reports: ReportsTable;
  report_history: ReportHistoryTable;
  report_targets: ReportTargetsTable;
}

export interface CentreCategoriesTable {
  code: string;
  version: number;
  position: number;
  label: string;
  retired_in: number | null;
}

export interface CentreProfilesTable {
  org_unit_id: number;
  board: Json;
  premises: string | null;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface CentreYearsTable {
  org_unit_id: number;
  year: number;
  plan: string | null;
  rating: string | null;
  rating_note: string | null;
  rated_by: number | null;
  rated_at: Date | null;
  funding_state_budget: Generated<number>;
  funding_socialisation: Generated<number>;
  funding_learners: Generated<number>;
  updated_at: Timestamp;
}

export interface CentreActivitiesTable {
  id: Generated<number>;
  org_unit_id: number;
  kind: string;
  title: string;
  search_key: string;
  category: string;
  start_date: string;
  end_date: string;
  year: number;
  school_year: number;
  sessions: number;
  participants: number;
  female: number;
  minority: number | null;
  partner: string | null;
  place: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ─── Inspections, commendations and exemplary models ───────────────────────────────────

export interface InspectionPlansTable {
  id: Generated<number>;
  org_unit_id: number;
  document_number: string;
  issued_on: string;
  year: number;
  title: string;
  search_key: string;
  from_date: string;
  to_date: string;
  team: Json;
  notes: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InspectionTargetsTable {
  id: Generated<number>;
  plan_id: number;
  org_unit_id: number;
  position: number;
  category: string;
  school_level: string | null;
  cluster: string | null;
  scheduled_on: string | null;
  inspected_on: string | null;
  rating: string | null;
  findings: string | null;
  recommendations: string | null;
  result_by: number | null;
  result_at: Date | null;
}

/** The shape every `<name>_stats` period-counter table shares. */
export interface PeriodStatsTable {
  org_unit_id: number;
  period: string;
  metric: string;
  n: number;
}

export interface CommendationsTable {
  id: Generated<number>;
  org_unit_id: number;
  kind: string;
  kind_other: string | null;
  recipient_type: string;
  recipient_name: string;
  search_key: string;
  recipient_org_unit_id: number | null;
  awarding_body: string;
  reason: string | null;
  proposed_on: string;
  year: number;
  proposal_number: string | null;
  status: Generated<string>;
  decision_number: string | null;
  decided_on: string | null;
  decision_note: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ExemplaryModelsTable {
  id: Generated<number>;
  org_unit_id: number;
  model: string;
  name: string;
  search_key: string;
  year: number;
  story: string | null;
  honoured_at: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type OrgUnitRow = Selectable<OrgUnitsTable>;
export type NewOrgUnit = Insertable<OrgUnitsTable>;
export type OrgUnitUpdate = Updateable<OrgUnitsTable>;
export type UserRow = Selectable<UsersTable>;

// ─── Events and coordination agreements ───────────────────────────────────────────────

export interface ProgrammeEventsTable {
  id: Generated<number>;
  org_unit_id: number;
  kind: string;
  title: string;
  search_key: string;
  start_date: string;
  end_date: string;
  year: number;
  place: string | null;
  participants: number;
  female: number | null;
  direct_scholarships: number | null;
  direct_scholarship_amount: number | null;
  notes: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EventFundEntriesTable {
  event_id: number;
  fund_entry_id: number;
  /** The entry's fiscal year (part of its key): set by the database from `fund_entry_id`. */
  fund_entry_year: Generated<number>;
  linked_by: number | null;
  linked_at: Timestamp;
}

export interface CoordinationAgreementsTable {
  id: Generated<number>;
  org_unit_id: number;
  partner_name: string;
  search_key: string;
  partner_kind: string;
  document_number: string | null;
  signed_on: string;
  covers_from: string;
  covers_to: string;
  content: string | null;
  ended_on: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ─── Association membership ──────────────────────────────────────────────────────────

export interface AssociationChaptersTable {
  id: Generated<number>;
  org_unit_id: number;
  kind: string;
  name: string;
  search_key: string;
  sort_key: string;
  linked_unit_id: number | null;
  clan_id: number | null;
  head_name: string | null;
  founded_on: string | null;
  dissolved_on: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AssociationChapterYearsTable {
  chapter_id: number;
  year: number;
  members: number;
  female: number;
  new_members: number;
  dues: number;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface UnitPopulationsTable {
  org_unit_id: number;
  year: number;
  population: number;
  source: Generated<string>;
  updated_by: number | null;
  updated_at: Timestamp;
}

// ─── Literacy and universal education ─────────────────────────────────────────────────

/** One commune's literacy and universal-education figures for a year (see 0006_literacy). */
export interface LiteracyYearsTable {
  org_unit_id: number;
  year: number;
  survey_date: string | null;
  population_15_25: number;
  level1_15_25: number;
  level2_15_25: number;
  population_26_35: number;
  level1_26_35: number;
  level2_26_35: number;
  population_36_60: number;
  level1_36_60: number;
  level2_36_60: number;
  newly_literate_continuing: number | null;
  xmc_level: number;
  pcmn5_level: number;
  pcth_level: number;
  pcthcs_level: number;
  created_by: number | null;
  updated_by: number | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

// ─── Periodic reporting ───────────────────────────────────────────────────────────────

/** A version of a report template (see 0010_reports); `document` is a ReportTemplate. */
export interface ReportTemplatesTable {
  id: Generated<number>;
  code: string;
  version: number;
  name: string;
  period_kind: string;
  document: unknown;
  source_key: string | null;
  retired_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface ReportRequestsTable {
  id: Generated<number>;
  template_code: string;
  period: string;
  org_unit_id: number;
  deadline: string;
  note: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface ReportRequestUnitsTable {
  request_id: number;
  org_unit_id: number;
}

export type ReportStatus = "draft" | "submitted" | "returned" | "approved";

export interface ReportsTable {
  id: Generated<number>;
  template_id: number;
  template_code: string;
  org_unit_id: number;
  period: string;
  status: Generated<ReportStatus>;
  values: unknown;
  narratives: unknown;
  doc_number: string | null;
  issued_on: string | null;
  signer_name: string | null;
  deadline: string | null;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  decided_by: number | null;
  comment: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface ReportHistoryTable {
  id: Generated<number>;
  report_id: number;
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  user_id: number | null;
  at: Generated<Date>;
}

export interface ReportTargetsTable {
  org_unit_id: number;
  template_code: string;
  indicator: string;
  period: string;
  value: string;
  set_by: number | null;
  set_at: Generated<Date>;
}
