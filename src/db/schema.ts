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

export interface DB {
  org_units: OrgUnitsTable;
  org_unit_lineage: OrgUnitLineageTable;
  users: UsersTable;
  user_scopes: UserScopesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingsTable;
}

export type OrgUnitRow = Selectable<OrgUnitsTable>;
export type NewOrgUnit = Insertable<OrgUnitsTable>;
export type OrgUnitUpdate = Updateable<OrgUnitsTable>;
export type UserRow = Selectable<UsersTable>;
