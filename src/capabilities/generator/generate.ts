/**
 * `xhht generate --scale commune|province|national --seed N`: a realistic database for
 * benchmarks and demonstrations, deterministic for a seed (the plan in src/domain/generator).
 *
 * One commune at a time, each in ONE transaction that also records it as done
 * (`generated_communes`), so an interrupted run resumes where it stopped and never leaves half a
 * commune. Inside a commune:
 * - villages, households with their heads, citizens, learning-model evaluations for two years and
 *   the fund's postings are bulk-inserted set-based (27 million households and 5 million postings
 *   could not go through the services one by one in two hours), and their counters are added from
 *   those very records by the services' own rules: `addBulkCounters` (the SQL form of `metricsOf`,
 *   tested against it: statistics/recount.test.ts and the evaluations' recount property) and the
 *   ledger's `statMetric` for the fund's roll-up, with one audit entry per posting;
 * - the learning centre and its activities go through the centres' service (`createOrgUnitIn`,
 *   `createActivitiesIn`, which writes a batch in one statement), with its checks and counters.
 * Per-row randomness in SQL is `hashint8extended(row, seed)`, so a row's values depend on the seed
 * and its position in its commune only.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Principal } from "../../authz/policy.ts";
import type { DB } from "../../db/schema.ts";
import { DONOR_TYPES, type DonorType, PURPOSES, type Purpose, statMetric } from "../../domain/fund/ledger.ts";
import {
  type CommunePlan,
  communePlan,
  GENERATED_MODELS,
  type GeneratedModel,
  generatedNames,
  nextStatisticsAt,
  randomSource,
  type Scale,
  statusBounds,
  streamSeed,
} from "../../domain/generator/plan.ts";
import type { Model } from "../../domain/learning-models/framework.ts";
import { fullMarks, scoreAssessment } from "../../domain/learning-models/scoring.ts";
import { foldForSearch, vietnameseSortKey } from "../../domain/text.ts";
import { type AuditContext, recordAudits, systemAuditContext } from "../audit/audit-writer.ts";
import { createActivitiesIn } from "../centres/service.ts";
import { applicableFramework } from "../criteria-frameworks/service.ts";
import { createFund, postingAuditEntry } from "../fund/service.ts";
import { createOrgUnitIn } from "../org-units/service.ts";
import { countingUnitIds } from "../statistics/counters.ts";
import { addBulkCounters } from "../statistics/recount.ts";

export interface GenerateOptions {
  scale: Scale;
  seed: number;
  /** Province scale: the province's official code (default 19, Thái Nguyên, 92 communes). */
  province?: string;
  /** Commune scale: the commune's official code (default 05587, Bình Yên). */
  commune?: string;
  /** The two years generated; default the current year and the one before. */
  years?: readonly number[];
  onProgress?: (p: { communes: number; of: number; households: number }) => void;
  signal?: AbortSignal;
}

/** The generator will not write into this database (it holds real records). */
export class GeneratorRefused extends Error {
  override name = "GeneratorRefused";
}

export interface GenerateSummary {
  communes: number;
  skipped: number;
  villages: number;
  households: number;
  citizens: number;
  evaluations: number;
  fundEntries: number;
  activities: number;
  seconds: number;
}

interface Commune {
  id: number;
  code: string;
  name: string;
  path: string;
  level: number;
  provinceId: number;
}

const MODEL_SUBJECT_KIND: Record<GeneratedModel, "household" | "village" | "commune"> = {
  gdht: "household",
  cdht_thon: "village",
  cdht_xa: "commune",
};

/** The communes a scale covers, in code order (the order a run and its resumption follow). */
async function communesOf(db: Kysely<DB>, options: GenerateOptions): Promise<Commune[]> {
  let query = db
    .selectFrom("org_units as c")
    .innerJoin("org_units as p", "p.id", "c.parent_id")
    .select(["c.id", "c.code", "c.name", "c.path", "c.level", "p.id as provinceId"])
    .where("c.kind", "=", "commune")
    .where("c.valid_to", "is", null)
    .where("p.kind", "=", "province");
  if (options.scale === "commune") query = query.where("c.code", "=", options.commune ?? "05587");
  if (options.scale === "province") query = query.where("p.code", "=", options.province ?? "19");
  const rows = await query.orderBy("c.code").execute();
  if (rows.length === 0) throw new Error("Không tìm thấy xã/tỉnh cần tạo dữ liệu: hãy kiểm tra mã đơn vị.");
  return rows.map((r) => ({ ...r, code: r.code ?? String(r.id), provinceId: Number(r.provinceId) }));
}

async function nationalAdmin(db: Kysely<DB>): Promise<Principal> {
  const nation = await db
    .selectFrom("org_units")
    .select("path")
    .where("level", "=", 0)
    .executeTakeFirstOrThrow();
  const admin = await db
    .selectFrom("users")
    .select(["id", "username"])
    .where("role", "=", "admin")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  return {
    userId: Number(admin.id),
    username: admin.username,
    role: "admin",
    scopePaths: [nation.path],
    via: "token",
  };
}

/** The names as a JSON parameter: index → name with its search and sort keys (computed in the domain). */
function namesParameter(): string {
  return JSON.stringify(
    generatedNames().map((name, i) => ({
      i,
      name,
      search_key: foldForSearch(name),
      sort_key: vietnameseSortKey(name),
    })),
  );
}

/** A uniform draw in [0, 1) for row `n` of a stream, in SQL. */
function draw(n: ReturnType<typeof sql>, stream: number) {
  return sql`((hashint8extended(${n}, ${stream}::bigint) & 2147483647)::float8 / 2147483648.0)`;
}

export async function generate(db: Kysely<DB>, options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const year = Number(new Date().toISOString().slice(0, 4));
  const years = options.years ?? [year - 1, year];
  const communes = await communesOf(db, options);
  const principal = await nationalAdmin(db);
  const audit = systemAuditContext(`generate ${options.scale} seed ${options.seed}`);
  const names = namesParameter();
  const summary: GenerateSummary = {
    communes: 0,
    skipped: 0,
    villages: 0,
    households: 0,
    citizens: 0,
    evaluations: 0,
    fundEntries: 0,
    activities: 0,
    seconds: 0,
  };
  const done = new Set(
    (await db.selectFrom("generated_communes").select("commune_id").execute()).map((r) =>
      Number(r.commune_id),
    ),
  );
  // Generated records are not real ones: never mix them into a database that holds real records.
  if (done.size === 0) {
    const real = await sql<{ n: number }>`
      select ((select count(*) from households) + (select count(*) from evaluations)
              + (select count(*) from fund_entries))::int as n`.execute(db);
    if (Number(real.rows[0]?.n ?? 0) > 0) {
      throw new GeneratorRefused(
        "CSDL này đã có hồ sơ thật (hộ gia đình, đánh giá hoặc quỹ): chỉ tạo dữ liệu mẫu trong một CSDL trống (--data-dir hoặc DATABASE_URL khác).",
      );
    }
  }
  let generated = done.size;
  let statisticsAt = generated + 1;
  let analysedAt = -1;
  for (const [index, commune] of communes.entries()) {
    if (options.signal?.aborted) break;
    if (done.has(commune.id)) {
      summary.skipped++;
    } else {
      const plan = communePlan(options.scale, options.seed, commune.code, years);
      // The fund is opened in a transaction of its own by its service; reused on resumption.
      const fundId = await communeFund(db, principal, commune, years, audit);
      await db.transaction().execute(async (tx) => {
        const counts = await generateCommune(
          tx,
          principal,
          audit,
          commune,
          plan,
          years,
          options.seed,
          names,
          fundId,
        );
        for (const [k, v] of Object.entries(counts)) summary[k as keyof typeof counts] += v;
        await tx
          .insertInto("generated_communes")
          .values({ commune_id: commune.id, scale: options.scale, seed: options.seed })
          .execute();
      });
      summary.communes++;
      generated++;
      if (generated >= statisticsAt) {
        await sql`analyze`.execute(db);
        analysedAt = generated;
        statisticsAt = nextStatisticsAt(generated);
      }
    }
    options.onProgress?.({ communes: index + 1, of: communes.length, households: summary.households });
  }
  // Statistics for the planner, as after any bulk load (and as the run went: nextStatisticsAt):
  // until the autovacuum daemon gets round to them, new partitions have none, and a lookup by id
  // (not unique by itself in a table partitioned by year) would be planned as if it matched
  // thousands of rows.
  if (summary.communes > 0 && analysedAt !== generated) await sql`analyze`.execute(db);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

async function communeFund(
  db: Kysely<DB>,
  principal: Principal,
  commune: Commune,
  years: readonly number[],
  audit: AuditContext,
): Promise<number> {
  const existing = await db
    .selectFrom("funds")
    .select("id")
    .where("org_unit_id", "=", commune.id)
    .where("kind", "=", "general")
    .executeTakeFirst();
  if (existing) return Number(existing.id);
  return createFund(
    db,
    principal,
    { orgUnitId: commune.id, kind: "general", fiscalYearStartMonth: 1, startYear: Math.min(...years) },
    audit,
  );
}

async function maxId(tx: Transaction<DB>, table: "evaluations" | "households" | "citizens" | "org_units") {
  const r = await sql<{ n: string | number | null }>`select max(id) as n from ${sql.table(table)}`.execute(
    tx,
  );
  return Number(r.rows[0]?.n ?? 0);
}

async function generateCommune(
  tx: Transaction<DB>,
  principal: Principal,
  audit: AuditContext,
  commune: Commune,
  plan: CommunePlan,
  years: readonly number[],
  seed: number,
  names: string,
  fundId: number,
) {
  const stream = streamSeed(seed, commune.code);
  const before = {
    evaluation: await maxId(tx, "evaluations"),
    household: await maxId(tx, "households"),
    citizen: await maxId(tx, "citizens"),
    village: await maxId(tx, "org_units"),
  };
  const today = new Date().toISOString().slice(0, 10);

  // Villages: "Thôn 1" … in the commune, their households planned per village.
  const villageRows = plan.households.map((n, i) => {
    const name = `Thôn ${i + 1}`;
    return {
      position: i + 1,
      households: n,
      name,
      search_key: foldForSearch(name),
      sort_key: vietnameseSortKey(name),
    };
  });
  // A village's path holds its own id: inserted with a placeholder, then set (as createOrgUnitIn does).
  const villages = await sql<{ id: string | number; position: number }>`
    insert into org_units (parent_id, path, level, kind, name, search_key, sort_key, valid_from)
    select ${commune.id}, ${commune.path} || '~gen~' || v.position, ${commune.level + 1}, 'village',
           v.name, v.search_key, v.sort_key, ${today}::date
    from jsonb_to_recordset(${JSON.stringify(villageRows)}::jsonb)
      as v(position int, households int, name text, search_key text, sort_key text)
    order by v.position
    returning id, split_part(path, '~gen~', 2)::int as position`.execute(tx);
  await sql`
    update org_units set path = ${commune.path} || id || '/'
    where parent_id = ${commune.id} and path like ${`${commune.path}~gen~%`}`.execute(tx);
  const villageIds = new Map(villages.rows.map((v) => [Number(v.position), Number(v.id)]));
  const villagePlan = villageRows.map((v) => ({
    id: villageIds.get(v.position) as number,
    households: v.households,
  }));

  // Households (row n of the commune: its village, name, flags from the seed) and their heads.
  await sql`
    with names as (
      select * from jsonb_to_recordset(${names}::jsonb) as x(i int, name text, search_key text, sort_key text)
    ), v as (
      select * from jsonb_to_recordset(${JSON.stringify(villagePlan)}::jsonb) as x(id bigint, households int)
    ), rows as (
      select v.id as village_id, row_number() over (order by v.id, g) as n
      from v cross join lateral generate_series(1, v.households) as g
    ), drawn as (
      select r.village_id, r.n,
             ${draw(sql`r.n`, stream)} as u_poor,
             ${draw(sql`r.n + 10000000`, stream)} as u_minority,
             (hashint8extended(r.n + 20000000, ${stream}::bigint) & 2147483647) % ${generatedNames().length} as name_index
      from rows r
    )
    insert into households (village_id, head_name, search_key, sort_key, is_poor, is_near_poor, is_ethnic_minority, member_count)
    select d.village_id, nm.name, nm.search_key, nm.sort_key, d.u_poor < 0.05, d.u_poor >= 0.05 and d.u_poor < 0.11,
           d.u_minority < 0.15, 1
    from drawn d join names nm on nm.i = d.name_index
    order by d.n`.execute(tx);
  await sql`
    insert into household_members (household_id, full_name, birth_year, sex, is_head)
    select h.id, h.head_name, 1940 + ((hashint8extended(h.id - ${before.household}, ${stream}::bigint) & 2147483647) % 60)::int,
           case when h.head_name like '% Thị %' then 'female' else 'male' end, true
    from households h
    where h.id > ${before.household}
    order by h.id`.execute(tx);
  const households = plan.households.reduce((a, b) => a + b, 0);

  // Citizens recorded by the commune's officers, verified.
  const citizens = Math.round(households * plan.citizensPerHousehold);
  await sql`
    with names as (
      select * from jsonb_to_recordset(${names}::jsonb) as x(i int, name text, search_key text, sort_key text)
    )
    insert into citizens (org_unit_id, full_name, search_key, sort_key, citizen_group, birth_year, status, source,
                          decided_at, decided_by)
    select ${commune.id}, nm.name, nm.search_key, nm.sort_key,
           1 + ((hashint8extended(g + 30000000, ${stream}::bigint) & 2147483647) % 4)::int,
           1950 + ((hashint8extended(g + 40000000, ${stream}::bigint) & 2147483647) % 60)::int,
           'verified', 'officer', now(), ${principal.userId}
    from generate_series(1, ${citizens}) as g
    join names nm on nm.i = (hashint8extended(g + 50000000, ${stream}::bigint) & 2147483647) % ${generatedNames().length}
    order by g`.execute(tx);

  // Evaluations: per year and model, each subject's status drawn from the plan's bounds.
  let evaluations = 0;
  for (const [yearIndex, year] of years.entries()) {
    for (const [modelIndex, model] of GENERATED_MODELS.entries()) {
      const framework = await applicableFramework(tx, model as Model, year, commune.provinceId);
      if (!framework) continue;
      // Whoever handed an assessment in answered every criterion, with full marks; the score and
      // rating are the framework's own for those answers.
      const marks = fullMarks(framework.definition);
      const score = scoreAssessment(framework.definition, marks.answers, marks.derived);
      const bounds = statusBounds(plan.rates[year]?.[model] ?? { registered: 0, recognisedOfRegistered: 0 });
      const subjects =
        MODEL_SUBJECT_KIND[model] === "household"
          ? sql`select h.id as subject_id, h.village_id as unit_id, h.id - ${before.household} as n
                from households h where h.id > ${before.household}`
          : MODEL_SUBJECT_KIND[model] === "village"
            ? sql`select v.id as subject_id, v.id as unit_id, v.id - ${before.village} as n
                  from org_units v where v.id > ${before.village} and v.parent_id = ${commune.id} and v.kind = 'village'`
            : sql`select ${commune.id}::bigint as subject_id, ${commune.id}::bigint as unit_id, 1::bigint as n`;
      const subStream = streamSeed(stream, `${yearIndex}:${modelIndex}`);
      const inserted = await sql<{ n: string | number }>`
        with s as (${subjects}), drawn as (
          select s.subject_id, s.unit_id, ${draw(sql`s.n`, subStream)} as u
          from s
        ), statused as (
          select d.*, case
              when d.u < ${bounds[0]?.below ?? 0} then 'recognised'
              when d.u < ${bounds[1]?.below ?? 0} then 'accepted'
              when d.u < ${bounds[2]?.below ?? 0} then 'submitted'
              when d.u < ${bounds[3]?.below ?? 0} then 'draft'
              when d.u < ${bounds[4]?.below ?? 0} then 'registered'
            end as status
          from drawn d
        ), ins as (
          insert into evaluations (model, year, subject_kind, subject_id, org_unit_id, framework_id, status, answers,
                                   derived, total, rating_code, rating_label, passing, submitted_at, reviewed_at,
                                   decided_at, decision_number, decision_date, decision_issuer)
          select ${model}, ${year}, ${MODEL_SUBJECT_KIND[model]}, s.subject_id, s.unit_id, ${framework.id},
                 s.status,
                 case when s.status in ('recognised', 'accepted', 'submitted') then ${JSON.stringify(marks.answers)}::jsonb else '{}'::jsonb end,
                 case when s.status in ('recognised', 'accepted', 'submitted') then ${JSON.stringify(marks.derived)}::jsonb else '{}'::jsonb end,
                 case when s.status in ('recognised', 'accepted', 'submitted') then ${score.total}::int end,
                 case when s.status = 'recognised' then ${score.rating.code}::text end,
                 case when s.status = 'recognised' then ${score.rating.label}::text end,
                 case when s.status in ('recognised', 'accepted', 'submitted') then ${score.rating.passing}::boolean end,
                 case when s.status in ('recognised', 'accepted', 'submitted') then make_date(${year}, 9, 1)::timestamptz end,
                 case when s.status in ('recognised', 'accepted') then make_date(${year}, 10, 1)::timestamptz end,
                 case when s.status = 'recognised' then make_date(${year}, 11, 20)::timestamptz end,
                 case when s.status = 'recognised' then ${`${year}/QĐ-UBND`} end,
                 case when s.status = 'recognised' then make_date(${year}, 11, 20) end,
                 case when s.status = 'recognised' then ${`UBND ${commune.name}`} end
          from statused s
          where s.status is not null
          order by s.subject_id
          returning 1
        )
        select count(*) as n from ins`.execute(tx);
      evaluations += Number(inserted.rows[0]?.n ?? 0);
    }
  }
  await addBulkCounters(tx, commune.path, before);

  // The fund: receipts through the year, then payments of at most what came in, bulk-inserted
  // with their roll-up and audit entries as `postReceiptIn`/`postDisbursementIn` would write them
  // one by one (the metric is the ledger's own `statMetric`); ~5 million postings one at a time
  // would take hours.
  const random = randomSource(streamSeed(stream, "fund"));
  const postings: FundPosting[] = [];
  for (const year of years) {
    const entries = plan.fundEntries[year] ?? 0;
    const receipts = Math.ceil(entries * 0.6);
    let income = 0;
    for (let i = 0; i < entries; i++) {
      const date = dateIn(year, i / entries);
      const key = `gen-${seed}-${commune.code}-${year}-${i}`;
      if (i < receipts) {
        const amount = 1000 * Math.round(200 + random() * 20_000);
        income += amount;
        const donorType = DONOR_TYPES[Math.floor(random() * DONOR_TYPES.length)] as DonorType;
        postings.push({
          kind: "receipt",
          amount,
          date,
          year,
          donorType,
          purpose: null,
          beneficiaries: null,
          key,
        });
      } else {
        const amount = Math.max(
          1000,
          1000 * Math.floor((income / (entries - receipts + 1) / 1000) * random()),
        );
        income -= amount;
        const purpose = PURPOSES[Math.floor(random() * PURPOSES.length)] as Purpose;
        const beneficiaries = 1 + Math.floor(random() * 20);
        postings.push({
          kind: "disbursement",
          amount,
          date,
          year,
          donorType: null,
          purpose,
          beneficiaries,
          key,
        });
      }
    }
  }
  await postFundEntries(tx, principal, audit, fundId, commune, postings);
  const fundEntries = postings.length;

  // The learning centre and its activities, through the centres' service.
  const centre = await createOrgUnitIn(
    tx,
    principal,
    { parentId: commune.id, kind: "learning_centre", name: `Trung tâm học tập cộng đồng ${commune.name}` },
    audit,
  );
  const categories = (
    await tx
      .selectFrom("centre_categories")
      .select("code")
      .where("retired_in", "is", null)
      .orderBy("position")
      .execute()
  ).map((c) => c.code);
  let activities = 0;
  for (const year of years) {
    const n = plan.activities[year] ?? 0;
    const inputs = Array.from({ length: n }, (_, i) => {
      const start = dateIn(year, i / Math.max(1, n));
      const participants = 10 + Math.floor(random() * 150);
      return {
        kind: random() < 0.4 ? ("class" as const) : ("talk" as const),
        title: `Chuyên đề ${i + 1} năm ${year}`,
        category: categories[Math.floor(random() * categories.length)] as string,
        startDate: start,
        endDate: start,
        sessions: 1 + Math.floor(random() * 5),
        participants,
        female: Math.floor(participants * (0.4 + random() * 0.3)),
        minority: null,
        partner: null,
        place: `Nhà văn hóa thôn ${1 + (i % villageRows.length)}`,
      };
    });
    for (let i = 0; i < inputs.length; i += 500)
      await createActivitiesIn(tx, principal, Number(centre.id), inputs.slice(i, i + 500), audit);
    activities += n;
  }

  return {
    villages: villageRows.length,
    households,
    citizens,
    evaluations,
    fundEntries,
    activities,
  };
}

interface FundPosting {
  kind: "receipt" | "disbursement";
  amount: number;
  date: string;
  year: number;
  donorType: DonorType | null;
  purpose: Purpose | null;
  beneficiaries: number | null;
  key: string;
}

const RECEIPT_TEXT = "Vận động ủng hộ quỹ khuyến học";
const PAYMENT_TEXT = "Chi khen thưởng, học bổng";

/** A commune's postings in one statement, their roll-up (`fund_stats`) and one audit entry each. */
async function postFundEntries(
  tx: Transaction<DB>,
  principal: Principal,
  audit: AuditContext,
  fundId: number,
  commune: Commune,
  postings: FundPosting[],
) {
  if (postings.length === 0) return;
  const fund = await tx.selectFrom("funds").select("name").where("id", "=", fundId).executeTakeFirstOrThrow();
  const rows = postings.map((p) => ({
    kind: p.kind,
    amount: p.amount,
    entry_date: p.date,
    fiscal_year: p.year,
    donor_type: p.donorType,
    purpose: p.purpose,
    beneficiaries: p.beneficiaries,
    description: p.kind === "receipt" ? RECEIPT_TEXT : PAYMENT_TEXT,
    idempotency_key: p.key,
  }));
  const inserted = await sql<{ id: string | number }>`
    insert into fund_entries (fund_id, kind, amount, entry_date, fiscal_year, donor_type, purpose, beneficiaries,
                              description, idempotency_key, created_by)
    select ${fundId}, kind, amount, entry_date, fiscal_year, donor_type, purpose, beneficiaries, description,
           idempotency_key, ${principal.userId}
    from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as (
      kind text, amount bigint, entry_date date, fiscal_year int, donor_type text, purpose text, beneficiaries int,
      description text, idempotency_key text
    )) with ordinality as r(kind, amount, entry_date, fiscal_year, donor_type, purpose, beneficiaries, description,
      idempotency_key, n)
    order by r.n
    returning id`.execute(tx);
  // The roll-up, as bumpFundStats adds each posting: per year and metric, at the commune and above.
  const stats = new Map<
    string,
    { year: number; metric: string; amount: bigint; entries: number; beneficiaries: number }
  >();
  for (const p of postings) {
    const metric = statMetric({
      kind: p.kind,
      donorType: p.donorType,
      purpose: p.purpose,
      isReversal: false,
    });
    if (!metric) continue;
    const key = `${p.year}|${metric}`;
    const s = stats.get(key) ?? { year: p.year, metric, amount: 0n, entries: 0, beneficiaries: 0 };
    s.amount += BigInt(p.amount);
    s.entries += 1;
    s.beneficiaries += p.beneficiaries ?? 0;
    stats.set(key, s);
  }
  const deltas = [...stats.values()].map((s) => ({ ...s, amount: s.amount.toString() }));
  await sql`
    insert into fund_stats (org_unit_id, year, metric, amount, entries, beneficiaries)
    select u.id, m.year, m.metric, m.amount, m.entries, m.beneficiaries
    from unnest(${countingUnitIds(commune.path)}::bigint[]) as u(id)
    cross join jsonb_to_recordset(${JSON.stringify(deltas)}::jsonb)
      as m(year int, metric text, amount bigint, entries bigint, beneficiaries bigint)
    on conflict (org_unit_id, year, metric) do update set
      amount = fund_stats.amount + excluded.amount,
      entries = fund_stats.entries + excluded.entries,
      beneficiaries = fund_stats.beneficiaries + excluded.beneficiaries`.execute(tx);
  await recordAudits(
    tx,
    audit,
    postings.map((p, i) =>
      postingAuditEntry(
        { name: fund.name, org_unit_id: commune.id },
        { ...p, description: p.kind === "receipt" ? RECEIPT_TEXT : PAYMENT_TEXT },
        Number(inserted.rows[i]?.id),
      ),
    ),
  );
}

/** A date in `year` at `share` of the way through January–November (never in the future of a current year's report). */
function dateIn(year: number, share: number): string {
  const day = Math.floor(share * 333);
  const d = new Date(Date.UTC(year, 0, 1 + day));
  return d.toISOString().slice(0, 10);
}
